-- Comments on builds (docs/comments.md).
--
-- Not in the customer's schema: a thread per build ("ProductionOrder" row) that every role that may see
-- the build reads, with an internal flag for the plant's roles, @username mentions that notify the
-- person named, edits by the author within 10 minutes of posting, and resolution by coordinators.
-- Times are the plant's local time, like the other floor records ("createdAt" of "OrderStatusHistory").

ALTER TYPE "NotificationType" ADD VALUE IF NOT EXISTS 'COMMENT_MENTION';

CREATE TABLE "BuildComment" (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "orderId"       UUID NOT NULL,
    "authorId"      UUID NOT NULL,
    "body"          TEXT NOT NULL,
    "internal"      BOOLEAN NOT NULL DEFAULT false,
    "createdAt"     TIMESTAMP NOT NULL DEFAULT LOCALTIMESTAMP,
    "editedAt"      TIMESTAMP,
    "resolvedBy"    UUID,
    "resolvedAt"    TIMESTAMP,

    CONSTRAINT fk_build_comment_production_order FOREIGN KEY ("orderId") REFERENCES "ProductionOrder" (id),
    CONSTRAINT fk_build_comment_author FOREIGN KEY ("authorId") REFERENCES "User" (id),
    CONSTRAINT fk_build_comment_resolved_by FOREIGN KEY ("resolvedBy") REFERENCES "User" (id),
    CONSTRAINT chk_build_comment_body CHECK (btrim("body") <> '' AND char_length("body") <= 2000),
    CONSTRAINT chk_build_comment_resolved CHECK (("resolvedBy" IS NULL) = ("resolvedAt" IS NULL)),
    CONSTRAINT chk_build_comment_edited CHECK ("editedAt" IS NULL OR "editedAt" >= "createdAt")
);

-- The thread of a build, oldest first.
CREATE INDEX idx_build_comment_order ON "BuildComment" ("orderId", "createdAt", id);
-- The queue's marker counts a build's unresolved comments: a small index of those alone.
CREATE INDEX idx_build_comment_unresolved ON "BuildComment" ("orderId") WHERE "resolvedAt" IS NULL;

-- Who a comment named: one row per person notified, with the notification sent, so a mention can be
-- traced to the message it caused. The notification may later be removed by the notifications' retention
-- (cleanup_old_notifications), so "notificationId" is a plain reference without a foreign key.
CREATE TABLE "BuildCommentMention" (
    id                 UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "commentId"        UUID NOT NULL,
    "userId"           UUID NOT NULL,
    "notificationId"   UUID NOT NULL,
    "createdAt"        TIMESTAMP NOT NULL DEFAULT LOCALTIMESTAMP,

    CONSTRAINT fk_build_comment_mention_comment FOREIGN KEY ("commentId") REFERENCES "BuildComment" (id),
    CONSTRAINT fk_build_comment_mention_user FOREIGN KEY ("userId") REFERENCES "User" (id),
    CONSTRAINT uk_build_comment_mention UNIQUE ("commentId", "userId")
);

CREATE INDEX idx_build_comment_mention_user ON "BuildCommentMention" ("userId");

-- A comment is never removed. Its build, author, internal flag and posting time never change. Its text
-- changes only by its author (as the session the transaction carries proves), within 10 minutes of
-- posting, and an edit records when it was made (docs/comments.md §3).
CREATE OR REPLACE FUNCTION build_comment_guard()
RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_actor uuid;
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'A build comment is never removed'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (NEW.id, NEW."orderId", NEW."authorId", NEW."internal", NEW."createdAt")
       IS DISTINCT FROM (OLD.id, OLD."orderId", OLD."authorId", OLD."internal", OLD."createdAt") THEN
        RAISE EXCEPTION 'A comment''s build, author, internal flag and posting time are never changed'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (NEW."body", NEW."editedAt") IS DISTINCT FROM (OLD."body", OLD."editedAt") THEN
        IF LOCALTIMESTAMP > OLD."createdAt" + interval '10 minutes' THEN
            RAISE EXCEPTION 'A comment can be edited only within 10 minutes of posting'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        SELECT a.user_id INTO v_actor FROM audit_actor() a;
        IF v_actor IS DISTINCT FROM OLD."authorId" THEN
            RAISE EXCEPTION 'Only its author edits a comment'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW."editedAt" IS NULL OR NEW."body" IS NOT DISTINCT FROM OLD."body" THEN
            RAISE EXCEPTION 'An edit changes the text and records when it was made'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER build_comment_guard
    BEFORE UPDATE OR DELETE ON "BuildComment"
    FOR EACH ROW EXECUTE FUNCTION build_comment_guard();
CREATE TRIGGER build_comment_no_truncate
    BEFORE TRUNCATE ON "BuildComment"
    FOR EACH STATEMENT EXECUTE FUNCTION build_comment_guard();

-- A mention, once recorded, is never changed or removed.
CREATE OR REPLACE FUNCTION build_comment_mention_guard()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'A comment''s mentions are never changed or removed'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER build_comment_mention_guard
    BEFORE UPDATE OR DELETE ON "BuildCommentMention"
    FOR EACH ROW EXECUTE FUNCTION build_comment_mention_guard();
CREATE TRIGGER build_comment_mention_no_truncate
    BEFORE TRUNCATE ON "BuildCommentMention"
    FOR EACH STATEMENT EXECUTE FUNCTION build_comment_mention_guard();

CREATE TRIGGER audit_insert AFTER INSERT ON "BuildComment" REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
CREATE TRIGGER audit_update AFTER UPDATE ON "BuildComment"
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
CREATE TRIGGER audit_delete AFTER DELETE ON "BuildComment" REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();

CREATE TRIGGER audit_insert AFTER INSERT ON "BuildCommentMention" REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
CREATE TRIGGER audit_update AFTER UPDATE ON "BuildCommentMention"
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
CREATE TRIGGER audit_delete AFTER DELETE ON "BuildCommentMention" REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
