-- Frozen work-instruction revisions (docs/assembly-floor.md §8, docs/schema.md §3.14).
--
-- Every change to a work instruction's content is kept as a revision: its number (1, 2, ...), the title,
-- description and steps as they read at that revision, who made it, when, and the change note they gave.
-- A revision is a record: the database refuses to change or delete it. A generated task names the revision
-- it was generated with, so the task runner and the device history record show the text the build was
-- made to, whatever the instruction says today. "WorkInstruction"."version" is the latest revision number.

CREATE TABLE "WorkInstructionRevision" (
    id                   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "workInstructionId"  UUID NOT NULL,
    "revision"           INTEGER NOT NULL,
    "title"              VARCHAR(200) NOT NULL,
    "description"        TEXT,
    -- [{"stepNumber", "description", "safetyNotes", "estimatedTime"}, ...] in step order.
    "steps"              JSONB NOT NULL,
    -- NULL only for the revisions recorded from the instructions as they stood when revisions began.
    "authorId"           UUID,
    "createdAt"          TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "changeNote"         VARCHAR(500) NOT NULL,

    CONSTRAINT fk_work_instruction_revision_work_instruction
        FOREIGN KEY ("workInstructionId") REFERENCES "WorkInstruction" (id),
    CONSTRAINT fk_work_instruction_revision_user FOREIGN KEY ("authorId") REFERENCES "User" (id),
    CONSTRAINT uk_work_instruction_revision UNIQUE ("workInstructionId", "revision"),
    -- The target of the task's two-column foreign key: a task's revision belongs to its instruction.
    CONSTRAINT uk_work_instruction_revision_instruction UNIQUE (id, "workInstructionId"),
    CONSTRAINT chk_work_instruction_revision_number CHECK ("revision" > 0),
    CONSTRAINT chk_work_instruction_revision_steps CHECK (jsonb_typeof("steps") = 'array'),
    CONSTRAINT chk_work_instruction_revision_note CHECK (length(btrim("changeNote")) > 0)
);

CREATE OR REPLACE FUNCTION work_instruction_revision_guard()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'A work instruction revision is a record and cannot be changed or deleted; save the instruction again to make a new revision'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER work_instruction_revision_guard
    BEFORE UPDATE OR DELETE ON "WorkInstructionRevision"
    FOR EACH ROW EXECUTE FUNCTION work_instruction_revision_guard();

CREATE TRIGGER work_instruction_revision_no_truncate
    BEFORE TRUNCATE ON "WorkInstructionRevision"
    FOR EACH STATEMENT EXECUTE FUNCTION work_instruction_revision_guard();

-- Audited like every business table (V16).
CREATE TRIGGER audit_insert AFTER INSERT ON "WorkInstructionRevision" REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
CREATE TRIGGER audit_update AFTER UPDATE ON "WorkInstructionRevision"
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
CREATE TRIGGER audit_delete AFTER DELETE ON "WorkInstructionRevision" REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();

-- Every instruction as it stands becomes the revision its version names, with no author.
INSERT INTO "WorkInstructionRevision"
       ("workInstructionId", "revision", "title", "description", "steps", "authorId", "createdAt",
        "changeNote")
SELECT wi.id, wi."version", wi."title", wi."description",
       COALESCE((SELECT jsonb_agg(jsonb_build_object(
                            'stepNumber', s."stepNumber", 'description', s."description",
                            'safetyNotes', s."safetyNotes", 'estimatedTime', s."estimatedTime")
                        ORDER BY s."stepNumber")
                   FROM "WorkInstructionStep" s WHERE s."workInstructionId" = wi.id), '[]'::jsonb),
       NULL, COALESCE(wi."updatedAt", wi."createdAt", CURRENT_TIMESTAMP),
       'Imported: the instruction as it stood when revisions began'
  FROM "WorkInstruction" wi
 ORDER BY wi."createdAt", wi.id;

-- The revision a task was generated with; NULL exactly when the task has no instruction.
ALTER TABLE "Task" ADD COLUMN "workInstructionRevisionId" UUID;

UPDATE "Task" t
   SET "workInstructionRevisionId" = r.id
  FROM "WorkInstruction" wi
  JOIN "WorkInstructionRevision" r ON r."workInstructionId" = wi.id AND r."revision" = wi."version"
 WHERE wi.id = t."workInstructionId";

ALTER TABLE "Task"
    ADD CONSTRAINT fk_task_work_instruction_revision
        FOREIGN KEY ("workInstructionRevisionId", "workInstructionId")
        REFERENCES "WorkInstructionRevision" (id, "workInstructionId"),
    ADD CONSTRAINT chk_task_work_instruction_revision
        CHECK (("workInstructionId" IS NULL) = ("workInstructionRevisionId" IS NULL));

CREATE INDEX idx_task_work_instruction_revision ON "Task" ("workInstructionRevisionId");

-- A task keeps the instruction and revision it was generated with.
CREATE OR REPLACE FUNCTION task_instruction_frozen()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW."workInstructionId", NEW."workInstructionRevisionId")
       IS DISTINCT FROM (OLD."workInstructionId", OLD."workInstructionRevisionId") THEN
        RAISE EXCEPTION 'A task keeps the work instruction revision it was generated with'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER task_instruction_frozen
    BEFORE UPDATE ON "Task"
    FOR EACH ROW EXECUTE FUNCTION task_instruction_frozen();

-- Task rows have a new column: record their images so `audit verify` compares with them.
SELECT audit_baseline('migration V19: work instruction revisions');
