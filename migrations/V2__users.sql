-- Users, their sessions, and the login lockout counters.

CREATE TABLE "User" (
    id                   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "username"           VARCHAR(50) UNIQUE NOT NULL,
    "passwordHash"       VARCHAR(255) NOT NULL,
    "fullName"           VARCHAR(100) NOT NULL,
    "initials"           VARCHAR(5) NOT NULL,
    "role"               "UserRole" NOT NULL,
    "isActive"           BOOLEAN DEFAULT true,
    -- Added: an admin password reset forces the user to choose a new password at the next login.
    "mustChangePassword" BOOLEAN NOT NULL DEFAULT false,
    "lastLoginAt"        TIMESTAMP,
    "createdAt"          TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    "updatedAt"          TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX idx_user_username ON "User" ("username");
CREATE INDEX idx_user_role ON "User" ("role");
CREATE INDEX idx_user_active ON "User" ("isActive");
CREATE INDEX idx_user_active_username ON "User" ("username") WHERE "isActive" = true;

CREATE TABLE "UserSession" (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "userId"        UUID NOT NULL,
    "token"         VARCHAR(500) UNIQUE NOT NULL,
    "expiresAt"     TIMESTAMP NOT NULL,
    "createdAt"     TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt"    TIMESTAMP DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT fk_user_session_user FOREIGN KEY ("userId") REFERENCES "User" (id) ON DELETE CASCADE
);

CREATE INDEX idx_session_token ON "UserSession" ("token");
CREATE INDEX idx_session_user ON "UserSession" ("userId");
CREATE INDEX idx_session_expires ON "UserSession" ("expiresAt");

-- Added: failed-login counters for the lockout (5 failures lock for 15 minutes). Keyed by the lower-cased
-- username as typed, whether or not such a user exists, so the lockout never reveals which usernames exist.
CREATE TABLE "LoginThrottle" (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "username"       VARCHAR(50) NOT NULL,
    "failedCount"    INTEGER NOT NULL DEFAULT 0,
    "lockedUntil"    TIMESTAMP,
    "lastFailureAt"  TIMESTAMP,
    "updatedAt"      TIMESTAMP DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT uk_login_throttle_username UNIQUE ("username"),
    CONSTRAINT chk_login_throttle_failed_count CHECK ("failedCount" >= 0)
);
