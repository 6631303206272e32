-- Trustworthy records (docs/audit.md): the acting user proven by a session, a hash-chained audit
-- trail, and the database functions through which a station changes users, sessions and login counters.
--
-- Two database roles use this schema. The owner (who runs the migrations) owns every object; stations
-- connect as the least-privilege role cleanstation_app, whose grants are applied after every migration
-- run (src/db/roles.rs) rather than here, so that they always match the current schema.

------------------------------------------------------------------------------------------------------
-- AuditLog: a sequence number, the connection's role and the session that proved the actor
------------------------------------------------------------------------------------------------------

ALTER TABLE "AuditLog"
    -- The order rows were written in; the chain and "the last image of a row" rely on it.
    ADD COLUMN "seq"       BIGINT GENERATED ALWAYS AS IDENTITY,
    -- session_user of the writing connection: cleanstation_app for stations, the owner for its steps.
    ADD COLUMN "dbRole"    TEXT,
    -- The UserSession whose token the writing transaction carried; NULL when unattributed.
    ADD COLUMN "sessionId" UUID;

CREATE UNIQUE INDEX uk_audit_log_seq ON "AuditLog" ("seq");
CREATE INDEX idx_audit_entity_seq ON "AuditLog" ("entityType", "entityId", "seq" DESC);
CREATE INDEX idx_audit_unattributed ON "AuditLog" ("seq") WHERE "userId" IS NULL;

------------------------------------------------------------------------------------------------------
-- The chain
------------------------------------------------------------------------------------------------------

-- Audit rows waiting to be sealed, one entry per statement that wrote them (a BOM of 300 lines is one
-- entry): filled by a trigger on "AuditLog" in the writing transaction, so rows become sealable exactly
-- when they commit; emptied by audit_seal(). "seq" is the smallest of the entry's "seqs".
CREATE TABLE "AuditPending" (
    "seq"  BIGINT PRIMARY KEY,
    "seqs" BIGINT[] NOT NULL
);

-- One link per sealed audit row, in sealing order. Rows are sealed after their transactions commit, in
-- the order audit_seal() finds them, so no writer waits for another; a row that commits late is simply
-- sealed later. link = sha256(prevLink || '|' || position || '|' || kind || '|' || content), where the
-- content of a ROW is the jsonb array of the audit row's columns (see audit_seal), of a CHECKPOINT its
-- details, of a MISSING link {"missingSeq": n}. Nothing that changes on backup and restore is hashed.
CREATE TABLE "AuditChain" (
    "position"  BIGINT PRIMARY KEY,
    "kind"      TEXT NOT NULL,
    "auditSeq"  BIGINT,
    "auditId"   UUID,
    -- Copied from the audit row so that a row removed later can still be named; not hashed again.
    "entityType" TEXT,
    "entityId"  TEXT,
    "prevLink"  CHAR(64) NOT NULL,
    "link"      CHAR(64) NOT NULL,
    "details"   JSONB,
    "sealedAt"  TIMESTAMP NOT NULL DEFAULT LOCALTIMESTAMP,

    CONSTRAINT chk_audit_chain_kind CHECK ("kind" IN ('ROW', 'MISSING', 'CHECKPOINT')),
    CONSTRAINT uk_audit_chain_seq UNIQUE ("auditSeq")
);

CREATE OR REPLACE FUNCTION audit_enqueue()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "AuditPending" ("seq", "seqs")
    SELECT min(n."seq"), array_agg(n."seq") FROM new_rows n HAVING count(*) > 0;
    RETURN NULL;
END;
$$;

CREATE TRIGGER audit_enqueue
    AFTER INSERT ON "AuditLog"
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_enqueue();

-- Sealed history is never changed; the retention cleanup alone removes a sealed prefix, and leaves a
-- checkpoint link in its place.
CREATE OR REPLACE FUNCTION audit_chain_guard()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('cleanstation.retention_cleanup', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'The audit chain cannot be changed'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER audit_chain_immutable
    BEFORE UPDATE OR DELETE ON "AuditChain"
    FOR EACH ROW EXECUTE FUNCTION audit_chain_guard();
CREATE TRIGGER audit_chain_no_truncate
    BEFORE TRUNCATE ON "AuditChain"
    FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_guard();

-- AuditLog rows are deleted only by the retention cleanup, and only once past the retention period.
CREATE OR REPLACE FUNCTION auditlog_guard()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF current_setting('cleanstation.retention_cleanup', true) = 'on'
           AND OLD."timestamp" < LOCALTIMESTAMP
                                 - make_interval(days => setting_integer('audit.retentionDays', 365)) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'AuditLog rows are removed only by the retention cleanup, once older than the retention period';
    ELSIF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'AuditLog cannot be truncated';
    END IF;
    RAISE EXCEPTION 'AuditLog rows cannot be changed';
END;
$$;

------------------------------------------------------------------------------------------------------
-- The actor
------------------------------------------------------------------------------------------------------

-- The user and session proven by the token the transaction carries (set_config of
-- 'cleanstation.session_token', transaction-local): a session whose token hashes to it, unexpired, of an
-- active user. Anything else is no actor at all. The token itself is a secret the database never stores.
CREATE OR REPLACE FUNCTION audit_actor(OUT user_id uuid, OUT session_id uuid, OUT user_role "UserRole")
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_token text := NULLIF(current_setting('cleanstation.session_token', true), '');
BEGIN
    IF v_token IS NULL THEN
        RETURN;
    END IF;
    SELECT s."userId", s.id, u."role" INTO user_id, session_id, user_role
      FROM "UserSession" s JOIN "User" u ON u.id = s."userId"
     WHERE s."token" = encode(sha256(convert_to(v_token, 'UTF8')), 'hex')
       AND s."expiresAt" > LOCALTIMESTAMP
       AND COALESCE(u."isActive", false);
END;
$$;

-- The row image the audit trail keeps. Secrets are replaced by their SHA-256, so a silent change of a
-- password hash or a session is still found, while the audit trail holds no credential; a session's
-- "lastUsedAt" is not audited (every request touches it); a document's bytes are represented by their
-- checksum. `audit verify` applies the same rules (src/db/audit.rs).
CREATE OR REPLACE FUNCTION audit_image(p_table text, p_row jsonb)
RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public AS $$
    SELECT CASE p_table
        WHEN 'User' THEN p_row || jsonb_build_object('passwordHash',
            'sha256:' || encode(sha256(convert_to(p_row->>'passwordHash', 'UTF8')), 'hex'))
        WHEN 'UserSession' THEN (p_row - 'lastUsedAt') || jsonb_build_object('token',
            'sha256:' || encode(sha256(convert_to(p_row->>'token', 'UTF8')), 'hex'))
        WHEN 'DocumentContent' THEN jsonb_build_object(
            'documentId', p_row->'documentId', 'sha256', p_row->'sha256')
        ELSE p_row
    END
$$;

------------------------------------------------------------------------------------------------------
-- The audit trigger: one statement-level trigger per table and event
------------------------------------------------------------------------------------------------------

-- Statement-level with transition tables: the actor is resolved once per statement (a BOM of 300
-- lines is one insert, one session lookup), and the rows are recorded with one insert.
CREATE OR REPLACE FUNCTION audit_statement()
RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_key     text := CASE TG_TABLE_NAME WHEN 'DocumentContent' THEN 'documentId' ELSE 'id' END;
    v_station text := NULLIF(current_setting('cleanstation.station', true), '');
    v_user    uuid;
    v_session uuid;
    v_token   text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM 1 FROM old_rows LIMIT 1;
    ELSE
        PERFORM 1 FROM new_rows LIMIT 1;
    END IF;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;

    SELECT a.user_id, a.session_id INTO v_user, v_session FROM audit_actor() a;
    -- Logging out deletes the very session that proves the actor: take it from the deleted rows.
    IF v_user IS NULL AND TG_OP = 'DELETE' AND TG_TABLE_NAME = 'UserSession' THEN
        v_token := NULLIF(current_setting('cleanstation.session_token', true), '');
        SELECT o."userId", o.id INTO v_user, v_session
          FROM old_rows o
         WHERE v_token IS NOT NULL
           AND o."token" = encode(sha256(convert_to(v_token, 'UTF8')), 'hex');
    END IF;

    IF TG_OP = 'INSERT' THEN
        INSERT INTO "AuditLog" ("userId", "action", "entityType", "entityId", "oldValues", "newValues",
                                "ipAddress", "userAgent", "timestamp", "dbRole", "sessionId")
        SELECT v_user, 'INSERT', TG_TABLE_NAME, n.j->>v_key, NULL, audit_image(TG_TABLE_NAME, n.j),
               inet_client_addr(), v_station, CURRENT_TIMESTAMP, session_user, v_session
          FROM (SELECT to_jsonb(r) AS j FROM new_rows r) n;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO "AuditLog" ("userId", "action", "entityType", "entityId", "oldValues", "newValues",
                                "ipAddress", "userAgent", "timestamp", "dbRole", "sessionId")
        SELECT v_user, 'UPDATE', TG_TABLE_NAME, COALESCE(n.j, o.j)->>v_key,
               audit_image(TG_TABLE_NAME, o.j), audit_image(TG_TABLE_NAME, n.j),
               inet_client_addr(), v_station, CURRENT_TIMESTAMP, session_user, v_session
          FROM (SELECT to_jsonb(r) AS j FROM old_rows r) o
          FULL JOIN (SELECT to_jsonb(r) AS j FROM new_rows r) n ON n.j->>v_key = o.j->>v_key;
    ELSE
        INSERT INTO "AuditLog" ("userId", "action", "entityType", "entityId", "oldValues", "newValues",
                                "ipAddress", "userAgent", "timestamp", "dbRole", "sessionId")
        SELECT v_user, 'DELETE', TG_TABLE_NAME, o.j->>v_key, audit_image(TG_TABLE_NAME, o.j), NULL,
               inet_client_addr(), v_station, CURRENT_TIMESTAMP, session_user, v_session
          FROM (SELECT to_jsonb(r) AS j FROM old_rows r) o;
    END IF;
    RETURN NULL;
END;
$$;

-- Replace the row-level audit triggers of V11 and V13 with statement-level ones on the same tables.
DO $$
DECLARE
    r record;
    t text;
BEGIN
    FOR r IN SELECT tg.tgname, c.relname
               FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
              WHERE tg.tgfoid IN ('audit_trigger'::regproc, 'audit_document_content_trigger'::regproc)
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %I', r.tgname, r.relname);
    END LOOP;

    FOREACH t IN ARRAY ARRAY[
        'User', 'LoginThrottle', 'ProductionOrder', 'BasinConfiguration', 'FaucetConfiguration',
        'SprayerConfiguration', 'OrderAccessory', 'OrderStatusHistory', 'Part', 'Assembly',
        'AssemblyComponent', 'Category', 'WorkInstruction', 'WorkInstructionStep', 'Tool',
        'BillOfMaterials', 'BOMItem', 'QCFormTemplate', 'QCChecklistItem', 'QCResult', 'QCItemResult',
        'TaskList', 'Task', 'TaskTool', 'TaskPart', 'TestingForm', 'TestResult', 'PackagingChecklist',
        'PackagingItem', 'ServiceOrder', 'ServiceOrderItem', 'Document', 'OrderDocument',
        'SystemNotification', 'SystemSetting', 'OrderDraft', 'UserSession', 'DocumentContent']
    LOOP
        EXECUTE format('CREATE TRIGGER audit_insert AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION audit_statement()', t);
        EXECUTE format('CREATE TRIGGER audit_delete AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION audit_statement()', t);
        -- A session's only change is "lastUsedAt", which is not audited; document bytes never change.
        IF t NOT IN ('UserSession', 'DocumentContent') THEN
            EXECUTE format('CREATE TRIGGER audit_update AFTER UPDATE ON %I '
                           'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                           'FOR EACH STATEMENT EXECUTE FUNCTION audit_statement()', t);
        END IF;
    END LOOP;
END;
$$;

DROP FUNCTION audit_trigger();
DROP FUNCTION audit_document_content_trigger();

------------------------------------------------------------------------------------------------------
-- Sealing
------------------------------------------------------------------------------------------------------

-- Seals the rows of up to p_limit pending entries (all when NULL) onto the end of the chain; returns how
-- many rows, or -1
-- when p_wait is false and another sealer is at work. One sealer at a time (an advisory lock held to
-- the end of the transaction); writers never wait for it. READ COMMITTED, so that the head read after
-- taking the lock is the one the previous sealer committed.
CREATE OR REPLACE FUNCTION audit_seal(p_wait boolean DEFAULT true, p_limit integer DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_pos      bigint;
    v_link     text;
    v_seqs     bigint[];
    r          record;
    -- The links of this batch, computed in order and inserted with one statement.
    a_pos      bigint[] := '{}';
    a_kind     text[] := '{}';
    a_seq      bigint[] := '{}';
    a_id       uuid[] := '{}';
    a_type     text[] := '{}';
    a_entity   text[] := '{}';
    a_prev     text[] := '{}';
    a_link     text[] := '{}';
    a_details  jsonb[] := '{}';
    v_kind     text;
    v_content  text;
    v_next     text;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'audit_seal runs in a READ COMMITTED transaction';
    END IF;
    IF p_wait THEN
        PERFORM pg_advisory_xact_lock(7164907046723650917);
    ELSIF NOT pg_try_advisory_xact_lock(7164907046723650917) THEN
        RETURN -1;
    END IF;

    SELECT c."position", c."link" INTO v_pos, v_link
      FROM "AuditChain" c ORDER BY c."position" DESC LIMIT 1;
    IF NOT FOUND THEN
        v_pos := 0;
        v_link := repeat('0', 64);
    END IF;

    WITH taken AS (
        DELETE FROM "AuditPending" p
         WHERE p."seq" IN (SELECT q."seq" FROM "AuditPending" q ORDER BY q."seq" LIMIT p_limit)
        RETURNING p."seqs"
    )
    SELECT array_agg(s.seq ORDER BY s.seq) INTO v_seqs FROM taken t, unnest(t."seqs") AS s(seq);
    IF v_seqs IS NULL THEN
        RETURN 0;
    END IF;

    FOR r IN
        SELECT s.seq AS pending_seq, a.id, a."entityType", a."entityId",
               jsonb_build_array(a."seq", a.id, a."userId", a."sessionId", a."dbRole", a."action",
                                 a."entityType", a."entityId", a."oldValues", a."newValues",
                                 a."ipAddress", a."userAgent", a."timestamp")::text AS content
          FROM unnest(v_seqs) AS s(seq)
          LEFT JOIN "AuditLog" a ON a."seq" = s.seq
         ORDER BY s.seq
    LOOP
        v_pos := v_pos + 1;
        IF r.id IS NULL THEN
            -- Queued but gone before it was sealed: only a superuser can do that; keep the evidence.
            v_kind := 'MISSING';
            v_content := jsonb_build_object('missingSeq', r.pending_seq)::text;
        ELSE
            v_kind := 'ROW';
            v_content := r.content;
        END IF;
        v_next := encode(sha256(convert_to(
                      v_link || '|' || v_pos::text || '|' || v_kind || '|' || v_content, 'UTF8')), 'hex');
        a_pos := array_append(a_pos, v_pos);
        a_kind := array_append(a_kind, v_kind);
        a_seq := array_append(a_seq, r.pending_seq);
        a_id := array_append(a_id, r.id);
        a_type := array_append(a_type, r."entityType");
        a_entity := array_append(a_entity, r."entityId");
        a_prev := array_append(a_prev, v_link);
        a_link := array_append(a_link, v_next);
        a_details := array_append(a_details, CASE WHEN v_kind = 'MISSING' THEN v_content::jsonb END);
        v_link := v_next;
    END LOOP;

    INSERT INTO "AuditChain" ("position", "kind", "auditSeq", "auditId", "entityType", "entityId",
                              "prevLink", "link", "details")
    SELECT * FROM unnest(a_pos, a_kind, a_seq, a_id, a_type, a_entity, a_prev, a_link, a_details);
    RETURN cardinality(a_pos);
END;
$$;

------------------------------------------------------------------------------------------------------
-- Baselines: rows whose current state no audit row records
------------------------------------------------------------------------------------------------------

-- Records a BASELINE image of every row of every audited table whose current image differs from its
-- last audit record (or has none): the settings migrations insert before auditing begins, rows written
-- before this migration under the older image rules. `audit verify` then compares every row with its
-- last image. Migrations that add columns to an audited table call it again. Returns the rows recorded.
CREATE OR REPLACE FUNCTION audit_baseline(p_reason text)
RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    t     text;
    v_key text;
    v_n   bigint;
    total bigint := 0;
BEGIN
    FOR t IN SELECT DISTINCT c.relname
               FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
              WHERE tg.tgfoid = 'audit_statement'::regproc
              ORDER BY c.relname
    LOOP
        v_key := CASE t WHEN 'DocumentContent' THEN 'documentId' ELSE 'id' END;
        EXECUTE format($q$
            WITH cur AS (
                SELECT audit_image(%1$L, to_jsonb(r)) AS j FROM %1$I r
            ), last AS (
                SELECT DISTINCT ON (a."entityId") a."entityId", a."action", a."newValues"
                  FROM "AuditLog" a
                 WHERE a."entityType" = %1$L
                   AND a."action" IN ('INSERT', 'UPDATE', 'DELETE', 'BASELINE', 'RETAINED')
                 ORDER BY a."entityId", a."seq" DESC
            )
            INSERT INTO "AuditLog" ("userId", "action", "entityType", "entityId", "oldValues",
                                    "newValues", "userAgent", "timestamp", "dbRole")
            SELECT NULL, 'BASELINE', %1$L, cur.j->>%2$L, NULL, cur.j, %3$L, CURRENT_TIMESTAMP,
                   session_user
              FROM cur LEFT JOIN last ON last."entityId" = cur.j->>%2$L
             WHERE last."entityId" IS NULL OR last."action" = 'DELETE'
                OR last."newValues" IS DISTINCT FROM cur.j
             ORDER BY cur.j->>%2$L
        $q$, t, v_key, p_reason);
        GET DIAGNOSTICS v_n = ROW_COUNT;
        total := total + v_n;
    END LOOP;
    RETURN total;
END;
$$;

-- Everything written before this migration is queued for the chain, in entries of a thousand rows.
INSERT INTO "AuditPending" ("seq", "seqs")
SELECT min(a."seq"), array_agg(a."seq" ORDER BY a."seq") FROM "AuditLog" a GROUP BY a."seq" / 1000;

SELECT audit_baseline('migration V16: the hash-chained audit trail begins');

------------------------------------------------------------------------------------------------------
-- Retention
------------------------------------------------------------------------------------------------------

-- Removes the longest sealed prefix of the chain whose audit rows are all past the retention period
-- (setting 'audit.retentionDays'), and leaves a CHECKPOINT link that records where the chain now
-- starts, so the rest still verifies. A row whose last image is removed gets a RETAINED copy first, so
-- every live row keeps an audit image. Returns the number of audit rows removed.
CREATE OR REPLACE FUNCTION cleanup_old_audit_logs()
RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    v_cutoff  timestamp := LOCALTIMESTAMP
                           - make_interval(days => setting_integer('audit.retentionDays', 365));
    v_first   bigint;
    v_through bigint;
    v_link    text;
    v_head    bigint;
    v_head_link text;
    v_details jsonb;
    v_next    text;
    v_deleted integer;
BEGIN
    PERFORM audit_seal(true, NULL);

    SELECT min(c."position") INTO v_first FROM "AuditChain" c;
    IF v_first IS NULL THEN
        RETURN 0;
    END IF;
    SELECT min(c."position") - 1 INTO v_through
      FROM "AuditChain" c LEFT JOIN "AuditLog" a ON a."seq" = c."auditSeq"
     WHERE c."kind" = 'ROW' AND a."timestamp" >= v_cutoff;
    IF v_through IS NULL THEN
        SELECT max(c."position") INTO v_through FROM "AuditChain" c;
    END IF;
    IF v_through < v_first THEN
        RETURN 0;
    END IF;

    -- Keep an image of every row whose last image is about to go.
    INSERT INTO "AuditLog" ("userId", "action", "entityType", "entityId", "oldValues", "newValues",
                            "userAgent", "timestamp", "dbRole")
    SELECT NULL, 'RETAINED', l."entityType", l."entityId", NULL, l."newValues",
           'retention cleanup', CURRENT_TIMESTAMP, session_user
      FROM (
        SELECT DISTINCT ON (a."entityType", a."entityId") a."entityType", a."entityId", a."action",
               a."newValues", a."seq"
          FROM "AuditLog" a
         WHERE a."action" IN ('INSERT', 'UPDATE', 'DELETE', 'BASELINE', 'RETAINED')
         ORDER BY a."entityType", a."entityId", a."seq" DESC
      ) l
      JOIN "AuditChain" c ON c."auditSeq" = l."seq"
     WHERE c."position" <= v_through AND l."action" <> 'DELETE'
     ORDER BY l."entityType", l."entityId";

    SELECT c."link" INTO v_link FROM "AuditChain" c WHERE c."position" = v_through;

    PERFORM set_config('cleanstation.retention_cleanup', 'on', true);
    DELETE FROM "AuditLog" a
     USING "AuditChain" c
     WHERE c."auditSeq" = a."seq" AND c."position" <= v_through;
    GET DIAGNOSTICS v_deleted = ROW_COUNT;
    DELETE FROM "AuditChain" c WHERE c."position" <= v_through;
    PERFORM set_config('cleanstation.retention_cleanup', 'off', true);

    SELECT c."position", c."link" INTO v_head, v_head_link
      FROM "AuditChain" c ORDER BY c."position" DESC LIMIT 1;
    IF NOT FOUND THEN
        -- The whole chain was removed: the checkpoint continues from the last removed link.
        v_head := v_through;
        v_head_link := v_link;
    END IF;
    v_details := jsonb_build_object(
        'removedThrough', v_through, 'linkThrough', v_link, 'rowsRemoved', v_deleted,
        'cutoff', v_cutoff);
    v_next := encode(sha256(convert_to(
                  v_head_link || '|' || (v_head + 1)::text || '|CHECKPOINT|' || v_details::text,
                  'UTF8')), 'hex');
    INSERT INTO "AuditChain" ("position", "kind", "auditSeq", "auditId", "prevLink", "link", "details")
    VALUES (v_head + 1, 'CHECKPOINT', NULL, NULL, v_head_link, v_next, v_details);

    PERFORM audit_seal(true, NULL);
    RETURN v_deleted;
END;
$$;

------------------------------------------------------------------------------------------------------
-- The station's checked paths to users, sessions, login counters and explicit audit records
------------------------------------------------------------------------------------------------------

-- True when the connection belongs to the schema's owner (its own steps: migrate, seed, imports).
CREATE OR REPLACE FUNCTION app_caller_is_owner()
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT pg_has_role(session_user, c.relowner, 'MEMBER')
      FROM pg_class c WHERE c.oid = '"User"'::regclass
$$;

-- Administration is allowed to an ADMIN's session, to the owner, and to anyone while no active ADMIN
-- exists (creating the first one). The lock makes "no active ADMIN" and the change one step.
CREATE OR REPLACE FUNCTION app_require_admin(p_what text)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_user uuid;
    v_role "UserRole";
BEGIN
    SELECT a.user_id, a.user_role INTO v_user, v_role FROM audit_actor() a;
    IF v_role = 'ADMIN' OR app_caller_is_owner() THEN
        RETURN v_user;
    END IF;
    LOCK TABLE "User" IN SHARE ROW EXCLUSIVE MODE;
    IF NOT EXISTS (SELECT 1 FROM "User" u WHERE u."role" = 'ADMIN' AND COALESCE(u."isActive", false)) THEN
        RETURN v_user;
    END IF;
    RAISE EXCEPTION '% needs the session of an administrator', p_what
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- Creates a user; NULL when the username is taken.
CREATE OR REPLACE FUNCTION app_user_create(
    p_username text, p_password_hash text, p_full_name text, p_initials text, p_role "UserRole",
    p_must_change boolean)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM app_require_admin('Creating a user');
    INSERT INTO "User" ("username", "passwordHash", "fullName", "initials", "role", "isActive",
                        "mustChangePassword")
    VALUES (p_username, p_password_hash, p_full_name, p_initials, p_role, true, p_must_change)
    ON CONFLICT ("username") DO NOTHING
    RETURNING id INTO v_id;
    RETURN v_id;
END;
$$;

-- Sets a password: an administrator for anyone, a user for themself. Clears the lockout and ends the
-- user's sessions (all but the caller's own when it is their own password). False when no such user.
CREATE OR REPLACE FUNCTION app_user_set_password(p_user_id uuid, p_password_hash text,
                                                 p_must_change boolean)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_user     uuid;
    v_session  uuid;
    v_username text;
BEGIN
    SELECT a.user_id, a.session_id INTO v_user, v_session FROM audit_actor() a;
    IF v_user IS DISTINCT FROM p_user_id THEN
        PERFORM app_require_admin('Setting another user''s password');
        v_session := NULL;
    END IF;
    UPDATE "User" SET "passwordHash" = p_password_hash, "mustChangePassword" = p_must_change,
                      "updatedAt" = LOCALTIMESTAMP
     WHERE id = p_user_id
    RETURNING "username" INTO v_username;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    DELETE FROM "LoginThrottle" WHERE "username" = v_username;
    DELETE FROM "UserSession" WHERE "userId" = p_user_id AND (v_session IS NULL OR id <> v_session);
    RETURN true;
END;
$$;

-- Activates or deactivates a user (an administrator, not on themself); deactivation ends their sessions.
CREATE OR REPLACE FUNCTION app_user_set_active(p_user_id uuid, p_active boolean)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_admin uuid;
BEGIN
    v_admin := app_require_admin('Activating or deactivating a user');
    IF NOT p_active AND v_admin = p_user_id THEN
        RAISE EXCEPTION 'You cannot deactivate your own account' USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE "User" SET "isActive" = p_active, "updatedAt" = LOCALTIMESTAMP WHERE id = p_user_id;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    IF NOT p_active THEN
        DELETE FROM "UserSession" WHERE "userId" = p_user_id;
    END IF;
    RETURN true;
END;
$$;

-- Changes another user's role (an administrator).
CREATE OR REPLACE FUNCTION app_user_set_role(p_user_id uuid, p_role "UserRole")
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_admin uuid;
BEGIN
    v_admin := app_require_admin('Changing a role');
    IF v_admin = p_user_id THEN
        RAISE EXCEPTION 'You cannot change your own role' USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE "User" SET "role" = p_role, "updatedAt" = LOCALTIMESTAMP WHERE id = p_user_id;
    RETURN FOUND;
END;
$$;

-- Opens a session for a user whose password the station has just verified. The database cannot check
-- an argon2 password itself; the audit trail records every session opened, with the connection's role,
-- address and station. The new token proves the actor for the rest of the transaction.
CREATE OR REPLACE FUNCTION app_session_open(p_user_id uuid, p_token text, p_ttl_hours integer)
RETURNS TABLE (session_id uuid, expires_at timestamp, last_login_at timestamp)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_username text;
BEGIN
    SELECT u."username" INTO v_username FROM "User" u
     WHERE u.id = p_user_id AND COALESCE(u."isActive", false);
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No active user %', p_user_id USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('cleanstation.session_token', p_token, true);
    INSERT INTO "UserSession" ("userId", "token", "expiresAt", "createdAt", "lastUsedAt")
    VALUES (p_user_id, encode(sha256(convert_to(p_token, 'UTF8')), 'hex'),
            LOCALTIMESTAMP + make_interval(hours => LEAST(GREATEST(p_ttl_hours, 1), 8760)),
            LOCALTIMESTAMP, LOCALTIMESTAMP)
    RETURNING id, "expiresAt" INTO session_id, expires_at;
    DELETE FROM "LoginThrottle" WHERE "username" = v_username;
    UPDATE "User" SET "lastLoginAt" = LOCALTIMESTAMP WHERE id = p_user_id
    RETURNING "lastLoginAt" INTO last_login_at;
    RETURN NEXT;
END;
$$;

-- Marks the caller's own session used (not audited: every request would add a row).
CREATE OR REPLACE FUNCTION app_session_touch(p_token text)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    UPDATE "UserSession" SET "lastUsedAt" = LOCALTIMESTAMP
     WHERE "token" = encode(sha256(convert_to(p_token, 'UTF8')), 'hex')
$$;

-- Ends the caller's own session (logout, expiry seen, a lockout reached at the lock screen).
CREATE OR REPLACE FUNCTION app_session_close(p_token text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    PERFORM set_config('cleanstation.session_token', p_token, true);
    DELETE FROM "UserSession" WHERE "token" = encode(sha256(convert_to(p_token, 'UTF8')), 'hex');
    RETURN FOUND;
END;
$$;

-- Reserves one password check for a username before the password is checked: refused while the name
-- is locked, or while failures and checks in flight already reach p_max, so a burst of parallel
-- attempts checks at most p_max passwords per lockout window. The reservation counts as a failure
-- until app_login_success clears it. Returns NULL when granted, else the time the name unlocks.
CREATE OR REPLACE FUNCTION app_login_reserve(p_username text, p_max integer, p_minutes integer)
RETURNS timestamp
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_count  integer;
    v_locked timestamp;
BEGIN
    INSERT INTO "LoginThrottle" AS t ("username", "failedCount", "lastFailureAt", "updatedAt")
    VALUES (p_username, 0, NULL, LOCALTIMESTAMP)
    ON CONFLICT ("username") DO NOTHING;
    SELECT t."failedCount", t."lockedUntil" INTO v_count, v_locked
      FROM "LoginThrottle" t WHERE t."username" = p_username FOR UPDATE;
    IF v_locked > LOCALTIMESTAMP THEN
        RETURN v_locked;
    END IF;
    IF v_count >= GREATEST(p_max, 1) THEN
        -- Checks in flight already use up the allowance; lock now rather than check one more.
        v_locked := LOCALTIMESTAMP + make_interval(mins => LEAST(GREATEST(p_minutes, 1), 525600));
        UPDATE "LoginThrottle" SET "lockedUntil" = v_locked, "failedCount" = 0,
                                   "updatedAt" = LOCALTIMESTAMP
         WHERE "username" = p_username;
        RETURN v_locked;
    END IF;
    UPDATE "LoginThrottle" SET "failedCount" = v_count + 1, "lastFailureAt" = LOCALTIMESTAMP,
                               "updatedAt" = LOCALTIMESTAMP
     WHERE "username" = p_username;
    RETURN NULL;
END;
$$;

-- After a reserved check failed: the reservation stays counted; reaching p_max locks the name for
-- p_minutes. Returns the unlock time when this failure locked it.
CREATE OR REPLACE FUNCTION app_login_failed(p_username text, p_max integer, p_minutes integer)
RETURNS timestamp
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_locked timestamp;
BEGIN
    UPDATE "LoginThrottle" t
       SET "lockedUntil" = LOCALTIMESTAMP + make_interval(mins => LEAST(GREATEST(p_minutes, 1), 525600)),
           "failedCount" = 0, "updatedAt" = LOCALTIMESTAMP
     WHERE t."username" = p_username AND t."failedCount" >= GREATEST(p_max, 1)
       AND (t."lockedUntil" IS NULL OR t."lockedUntil" <= LOCALTIMESTAMP)
    RETURNING t."lockedUntil" INTO v_locked;
    IF v_locked IS NULL THEN
        SELECT t."lockedUntil" INTO v_locked FROM "LoginThrottle" t
         WHERE t."username" = p_username AND t."lockedUntil" > LOCALTIMESTAMP;
    END IF;
    RETURN v_locked;
END;
$$;

-- After a reserved check succeeded at the lock screen or a signature (a login clears the counter in
-- app_session_open): the counter of the session's own user starts again.
CREATE OR REPLACE FUNCTION app_login_success(p_token text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    PERFORM set_config('cleanstation.session_token', p_token, true);
    DELETE FROM "LoginThrottle" t
     USING "UserSession" s JOIN "User" u ON u.id = s."userId"
     WHERE s."token" = encode(sha256(convert_to(p_token, 'UTF8')), 'hex')
       AND s."expiresAt" > LOCALTIMESTAMP
       AND t."username" = u."username";
END;
$$;

-- An explicit audit record beside the trigger's own (e.g. an administrator's status override with its
-- reason), always in the name of the session's user. The trigger's actions cannot be imitated.
CREATE OR REPLACE FUNCTION app_audit_note(p_action text, p_entity_type text, p_entity_id text,
                                          p_old jsonb, p_new jsonb)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_user    uuid;
    v_session uuid;
BEGIN
    SELECT a.user_id, a.session_id INTO v_user, v_session FROM audit_actor() a;
    IF v_user IS NULL THEN
        RAISE EXCEPTION 'An audit note needs a valid session' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF p_action IN ('INSERT', 'UPDATE', 'DELETE', 'BASELINE', 'RETAINED') THEN
        RAISE EXCEPTION 'Audit action % is reserved for the audit trigger', p_action;
    END IF;
    INSERT INTO "AuditLog" ("userId", "action", "entityType", "entityId", "oldValues", "newValues",
                            "ipAddress", "userAgent", "timestamp", "dbRole", "sessionId")
    VALUES (v_user, p_action, p_entity_type, p_entity_id, p_old, p_new, inet_client_addr(),
            NULLIF(current_setting('cleanstation.station', true), ''), CURRENT_TIMESTAMP,
            session_user, v_session);
END;
$$;
