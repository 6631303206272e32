-- The bytes of uploaded documents. Stations share one central database and no file server, so a
-- document's content is kept here; "Document"."fileUrl" is 'db:<document id>'.

CREATE TABLE "DocumentContent" (
    "documentId"    UUID PRIMARY KEY,
    "content"       BYTEA NOT NULL,
    "sha256"        VARCHAR(64) NOT NULL,

    CONSTRAINT fk_document_content_document
        FOREIGN KEY ("documentId") REFERENCES "Document" (id) ON DELETE CASCADE
);

-- audit_trigger() would copy the whole row, the file's bytes included, into "AuditLog" (and it keys
-- rows by "id", which this table has not). The content is written once and never changed, so only
-- its insertion and deletion are recorded, by document id and checksum; the "Document" row itself is
-- audited in full.
CREATE OR REPLACE FUNCTION audit_document_content_trigger()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
    v_actor   text := NULLIF(btrim(current_setting('app.current_user_id', true)), '');
    v_user_id uuid;
    v_agent   text := NULLIF(current_setting('app.user_agent', true), '');
    v_row     "DocumentContent";
BEGIN
    IF v_actor ~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$' THEN
        v_user_id := v_actor::uuid;
    END IF;
    IF TG_OP = 'DELETE' THEN
        v_row := OLD;
    ELSE
        v_row := NEW;
    END IF;

    INSERT INTO "AuditLog" (
        "userId", "action", "entityType", "entityId",
        "oldValues", "newValues", "ipAddress", "userAgent", "timestamp"
    ) VALUES (
        v_user_id, TG_OP, TG_TABLE_NAME, v_row."documentId"::text,
        CASE WHEN TG_OP = 'DELETE'
            THEN jsonb_build_object('documentId', v_row."documentId", 'sha256', v_row."sha256") END,
        CASE WHEN TG_OP = 'INSERT'
            THEN jsonb_build_object('documentId', v_row."documentId", 'sha256', v_row."sha256") END,
        inet_client_addr(), v_agent, CURRENT_TIMESTAMP
    );
    RETURN v_row;
END;
$$;

CREATE TRIGGER audit_document_content
    AFTER INSERT OR DELETE ON "DocumentContent"
    FOR EACH ROW EXECUTE FUNCTION audit_document_content_trigger();
