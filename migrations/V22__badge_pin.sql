-- Badge + PIN quick switch (docs/security.md, Badge and PIN): a user may carry a badge whose code the
-- station reads, and a 4-8 digit PIN stored as an argon2id hash like the password. Not in the customer's
-- schema (docs/schema.md §4.7).

ALTER TABLE "User"
    -- Upper-case, 4-64 of A-Z 0-9 and '-'; unique whatever the case it is typed in.
    ADD COLUMN "badgeCode" VARCHAR(64),
    -- argon2id PHC string of the PIN; a badge always has a PIN, and a PIN only exists with a badge.
    ADD COLUMN "pinHash"   VARCHAR(255),
    ADD CONSTRAINT chk_user_badge_code CHECK ("badgeCode" ~ '^[A-Z0-9-]{4,64}$'),
    ADD CONSTRAINT chk_user_badge_pin CHECK (("badgeCode" IS NULL) = ("pinHash" IS NULL));

CREATE UNIQUE INDEX uk_user_badge_code ON "User" (upper("badgeCode"));

-- The audit image keeps no credential: the PIN hash is replaced by its SHA-256 like the password hash
-- (docs/audit.md §1). A user without a PIN keeps a JSON null. `audit verify` restates the same rule.
CREATE OR REPLACE FUNCTION audit_image(p_table text, p_row jsonb)
RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public AS $$
    SELECT CASE p_table
        WHEN 'User' THEN p_row || jsonb_build_object(
            'passwordHash',
            'sha256:' || encode(sha256(convert_to(p_row->>'passwordHash', 'UTF8')), 'hex'),
            'pinHash',
            'sha256:' || encode(sha256(convert_to(p_row->>'pinHash', 'UTF8')), 'hex'))
        WHEN 'UserSession' THEN (p_row - 'lastUsedAt') || jsonb_build_object('token',
            'sha256:' || encode(sha256(convert_to(p_row->>'token', 'UTF8')), 'hex'))
        WHEN 'DocumentContent' THEN jsonb_build_object(
            'documentId', p_row->'documentId', 'sha256', p_row->'sha256')
        ELSE p_row
    END
$$;

-- Sets (or with a NULL badge, clears) a user's badge and PIN: an administrator's session, the owner, or
-- no active ADMIN yet (as app_user_create). Clears the user's lockout like a new password. False when no
-- such user; a badge taken by another user fails on uk_user_badge_code.
CREATE OR REPLACE FUNCTION app_user_set_badge(p_user_id uuid, p_badge text, p_pin_hash text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_username text;
BEGIN
    PERFORM app_require_admin('Setting a badge');
    UPDATE "User"
       SET "badgeCode" = upper(p_badge),
           "pinHash" = CASE WHEN p_badge IS NULL THEN NULL ELSE p_pin_hash END,
           "updatedAt" = LOCALTIMESTAMP
     WHERE id = p_user_id
    RETURNING "username" INTO v_username;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    DELETE FROM "LoginThrottle" WHERE "username" = v_username;
    RETURN true;
END;
$$;

-- "User" rows have new columns: record their images so `audit verify` compares with them.
SELECT audit_baseline('migration V22: badge and PIN');
