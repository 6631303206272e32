-- Electronic signatures at every gate whose record needs one (docs/signatures.md).
--
-- One row per signature: who signed (the user and the printed name at signing), what it means, when (UTC),
-- which record it signs and the SHA-256 of that record's canonical content. The row is linked into the
-- audit chain like every audited row, and it is never changed or removed: a correction is a new record
-- with its own signature.

CREATE TABLE "ElectronicSignature" (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "orderId"        UUID NOT NULL,
    "meaning"        VARCHAR(40) NOT NULL,
    "recordType"     VARCHAR(40) NOT NULL,
    "recordId"       UUID NOT NULL,
    "signerId"       UUID NOT NULL,
    "printedName"    VARCHAR(100) NOT NULL,
    "signedAt"       TIMESTAMP NOT NULL,
    "reason"         TEXT,
    "contentSha256"  CHAR(64) NOT NULL,
    "manifestation"  VARCHAR(300) NOT NULL,
    "formatVersion"  INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT fk_signature_production_order FOREIGN KEY ("orderId") REFERENCES "ProductionOrder" (id),
    CONSTRAINT fk_signature_user FOREIGN KEY ("signerId") REFERENCES "User" (id),
    CONSTRAINT chk_signature_meaning CHECK ("meaning" IN (
        'APPROVED', 'TESTED', 'VERIFIED', 'DISPOSITIONED', 'SHIPPED', 'OVERRIDE',
        'PRE_QC PASS', 'PRE_QC FAIL', 'FINAL_QC PASS', 'FINAL_QC FAIL')),
    CONSTRAINT chk_signature_record_type CHECK ("recordType" IN (
        'BillOfMaterials', 'TestingForm', 'PackagingChecklist', 'Nonconformance', 'OrderStatusHistory',
        'QCResult')),
    CONSTRAINT chk_signature_hash CHECK ("contentSha256" ~ '^[0-9a-f]{64}$'),
    CONSTRAINT chk_signature_name CHECK (btrim("printedName") <> '')
);

CREATE INDEX idx_signature_order ON "ElectronicSignature" ("orderId", "signedAt");
CREATE INDEX idx_signature_record ON "ElectronicSignature" ("recordType", "recordId");

CREATE OR REPLACE FUNCTION electronic_signature_guard()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'An electronic signature cannot be changed or removed'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER electronic_signature_immutable
    BEFORE UPDATE OR DELETE ON "ElectronicSignature"
    FOR EACH ROW EXECUTE FUNCTION electronic_signature_guard();
CREATE TRIGGER electronic_signature_no_truncate
    BEFORE TRUNCATE ON "ElectronicSignature"
    FOR EACH STATEMENT EXECUTE FUNCTION electronic_signature_guard();

CREATE TRIGGER audit_insert AFTER INSERT ON "ElectronicSignature" REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
CREATE TRIGGER audit_update AFTER UPDATE ON "ElectronicSignature"
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
CREATE TRIGGER audit_delete AFTER DELETE ON "ElectronicSignature" REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();

-- Signed records stay as signed. A status history row, a BOM version's lines and a packaging checklist
-- are otherwise writable by stations; once a signature covers them they are refused changes, so the hash
-- keeps describing the record. (Testing forms and QC results are already frozen on submit.)
CREATE OR REPLACE FUNCTION signed_record_frozen()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
    v_record uuid;
BEGIN
    -- One statement per table: PL/pgSQL plans each against the row type it meets.
    IF TG_TABLE_NAME = 'BOMItem' THEN
        v_record := OLD."bomId";
    ELSIF TG_TABLE_NAME = 'PackagingItem' THEN
        v_record := OLD."packagingChecklistId";
    ELSE
        v_record := OLD.id;
    END IF;
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'BillOfMaterials' THEN
        -- A BOM version's status moves on (APPROVED -> SUPERSEDED); its signed content does not.
        IF (NEW.id, NEW."orderId", NEW."version", NEW."generatedAt", NEW."generatedBy")
           IS NOT DISTINCT FROM (OLD.id, OLD."orderId", OLD."version", OLD."generatedAt", OLD."generatedBy") THEN
            RETURN NEW;
        END IF;
    END IF;
    IF EXISTS (SELECT 1 FROM "ElectronicSignature" WHERE "recordId" = v_record) THEN
        RAISE EXCEPTION 'The % record % is signed and cannot be changed or removed', TG_TABLE_NAME, v_record
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER signed_record_frozen BEFORE UPDATE OR DELETE ON "OrderStatusHistory"
    FOR EACH ROW EXECUTE FUNCTION signed_record_frozen();
CREATE TRIGGER signed_record_frozen BEFORE UPDATE OR DELETE ON "BillOfMaterials"
    FOR EACH ROW EXECUTE FUNCTION signed_record_frozen();
CREATE TRIGGER signed_record_frozen BEFORE UPDATE OR DELETE ON "BOMItem"
    FOR EACH ROW EXECUTE FUNCTION signed_record_frozen();
CREATE TRIGGER signed_record_frozen BEFORE UPDATE OR DELETE ON "PackagingChecklist"
    FOR EACH ROW EXECUTE FUNCTION signed_record_frozen();
CREATE TRIGGER signed_record_frozen BEFORE UPDATE OR DELETE ON "PackagingItem"
    FOR EACH ROW EXECUTE FUNCTION signed_record_frozen();

-- Lines are never added to a signed BOM version or packaging checklist either.
CREATE OR REPLACE FUNCTION signed_record_no_new_lines()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
    v_record uuid;
BEGIN
    IF TG_TABLE_NAME = 'BOMItem' THEN
        v_record := NEW."bomId";
    ELSE
        v_record := NEW."packagingChecklistId";
    END IF;
    IF EXISTS (SELECT 1 FROM "ElectronicSignature" WHERE "recordId" = v_record) THEN
        RAISE EXCEPTION 'The record % is signed and gets no new lines', v_record
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER signed_record_no_new_lines BEFORE INSERT ON "BOMItem"
    FOR EACH ROW EXECUTE FUNCTION signed_record_no_new_lines();
CREATE TRIGGER signed_record_no_new_lines BEFORE INSERT ON "PackagingItem"
    FOR EACH ROW EXECUTE FUNCTION signed_record_no_new_lines();

-- QC results signed before this table existed get their signature row: the same signer, meaning, time
-- and hash their signature text carries.
INSERT INTO "ElectronicSignature" ("orderId", "meaning", "recordType", "recordId", "signerId", "printedName",
                                   "signedAt", "contentSha256", "manifestation", "formatVersion")
SELECT r."orderId",
       r."qcTypePerformed"::text || ' ' || r."overallStatus"::text,
       'QCResult', r.id, r."performedBy", left(u."fullName", 100), r."timestamp",
       substring(r."digitalSignature" from 'sha256:([0-9a-f]{64})$'),
       left(r."digitalSignature", 300), 1
  FROM "QCResult" r JOIN "User" u ON u.id = r."performedBy"
 WHERE r."overallStatus" <> 'INCOMPLETE'
   AND r."digitalSignature" ~ 'sha256:[0-9a-f]{64}$'
 ORDER BY r."timestamp", r.id;
