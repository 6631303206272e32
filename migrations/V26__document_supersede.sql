-- Documents during production (docs/documents.md): a document attached to a build later may supersede an
-- earlier one of the same build, and no document, link or content row is ever changed or deleted.
--
-- Deviation from the customer's schema (docs/schema.md §10): "OrderDocument"."supersedesId" names the
-- link (of the same build) that the new link supersedes. The customer's design marks documents with
-- "Document"."isActive"; that flag is never changed here, because a document stored once for every build
-- of a PO may be superseded on one build and current on another.

ALTER TABLE "OrderDocument" ADD COLUMN "supersedesId" UUID;

-- A link supersedes a link of its own build (the pair is the foreign key's target), and only once.
ALTER TABLE "OrderDocument" ADD CONSTRAINT uk_order_document_order_link UNIQUE ("orderId", id);
ALTER TABLE "OrderDocument" ADD CONSTRAINT fk_order_document_supersedes
    FOREIGN KEY ("orderId", "supersedesId") REFERENCES "OrderDocument" ("orderId", id);
ALTER TABLE "OrderDocument" ADD CONSTRAINT chk_order_document_not_itself
    CHECK ("supersedesId" IS DISTINCT FROM id);
CREATE UNIQUE INDEX uk_order_document_supersedes ON "OrderDocument" ("supersedesId");

-- Never deleted, only superseded: the database refuses to change or remove a stored document, its link to a
-- build or its bytes, whoever asks (the owner included; a cascade from a deleted build too).
CREATE OR REPLACE FUNCTION document_guard()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'A stored document (%) is never changed or deleted; attach a new one that supersedes it',
        TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

DO $$
DECLARE
    t    text;
    stem text;
BEGIN
    FOREACH t IN ARRAY ARRAY['Document', 'OrderDocument', 'DocumentContent'] LOOP
        stem := CASE t WHEN 'Document' THEN 'document' WHEN 'OrderDocument' THEN 'order_document'
                       ELSE 'document_content' END;
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I '
                       'FOR EACH ROW EXECUTE FUNCTION document_guard()', stem || '_immutable', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION document_guard()', stem || '_no_truncate', t);
    END LOOP;
END;
$$;

-- "OrderDocument" rows gained a column: their current image is recorded for `audit verify`.
SELECT audit_baseline('migration V26: documents superseded, never deleted');
