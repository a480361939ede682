/**
 * The IdP database schema, one entry per version; never edit a released entry, append a new one.
 * Times are milliseconds on the IdP's injected clock. Session cookies and artifacts are kept as
 * SHA-256 digests; what holds a secret (an issued Response, a user's password, a client secret,
 * a private key) is sealed (idp/store/state-seal.ts).
 */
export const idpMigrations: readonly string[] = [
  `
  -- Sign-in sessions, by the SHA-256 of their cookie; the session itself as JSON.
  CREATE TABLE idp_sessions (
    token_key TEXT PRIMARY KEY,
    session_index TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL,
    value TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX idp_sessions_by_end ON idp_sessions (expires_at);
  CREATE INDEX idp_sessions_by_user ON idp_sessions (user_id);

  -- Which NameID each SP was told in a session: single logout finds sessions by it.
  CREATE TABLE idp_session_participants (
    session_index TEXT NOT NULL REFERENCES idp_sessions (session_index) ON DELETE CASCADE,
    sp_entity_id TEXT NOT NULL,
    name_id TEXT NOT NULL,
    PRIMARY KEY (session_index, sp_entity_id)
  ) WITHOUT ROWID;
  CREATE INDEX idp_participants_by_name_id ON idp_session_participants (sp_entity_id, name_id);

  -- Responses waiting to be fetched by artifact, by the SHA-256 of the MessageHandle, sealed with it.
  CREATE TABLE idp_artifacts (
    handle_key TEXT PRIMARY KEY,
    sealed TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX idp_artifacts_by_end ON idp_artifacts (expires_at);

  -- What was added through the admin API: users, SAML and JWT SPs, OIDC clients, signing keys.
  -- One kind per registry, rows in the order they were first added.
  CREATE TABLE idp_records (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    value TEXT NOT NULL,
    UNIQUE (kind, id)
  );
  `,
]
