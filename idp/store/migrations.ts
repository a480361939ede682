/**
 * The IdP database schema, one entry per version; never edit a released entry, append a new one.
 * Times are milliseconds on the IdP's injected clock. Session cookie secrets and artifacts are kept as
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
  `
  -- Sessions keyed by their row: the cookie is "<id>.<secret>" and the row keeps the SHA-256 of
  -- the secret, compared in constant time (idp/session/session-cookie.ts). New rows and their
  -- participants are appended at the end of their B-trees instead of at a random place of a
  -- digest index, so a sign-in costs the same at 50,000 live sessions as at 1,000. A cookie from
  -- before names no row: its visitor signs in again; the sessions stay (single logout by
  -- SessionIndex still finds them) until they end.
  ALTER TABLE idp_session_participants RENAME TO idp_session_participants_v1;
  ALTER TABLE idp_sessions RENAME TO idp_sessions_v1;
  CREATE TABLE idp_sessions (
    id INTEGER PRIMARY KEY,
    secret_key TEXT NOT NULL,
    session_index TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL,
    value TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  INSERT INTO idp_sessions (id, secret_key, session_index, user_id, value, expires_at)
    SELECT rowid, token_key, session_index, user_id, value, expires_at FROM idp_sessions_v1;
  CREATE TABLE idp_session_participants (
    session_id INTEGER NOT NULL REFERENCES idp_sessions (id) ON DELETE CASCADE,
    sp_entity_id TEXT NOT NULL,
    name_id TEXT NOT NULL,
    PRIMARY KEY (session_id, sp_entity_id)
  ) WITHOUT ROWID;
  INSERT INTO idp_session_participants (session_id, sp_entity_id, name_id)
    SELECT s.id, p.sp_entity_id, p.name_id FROM idp_session_participants_v1 p
      JOIN idp_sessions s ON s.session_index = p.session_index;
  DROP TABLE idp_session_participants_v1;
  DROP TABLE idp_sessions_v1;
  CREATE INDEX idp_sessions_by_end ON idp_sessions (expires_at);
  CREATE INDEX idp_sessions_by_user ON idp_sessions (user_id);
  CREATE INDEX idp_participants_by_name_id ON idp_session_participants (sp_entity_id, name_id);
  `,
  `
  -- The SP a session's sign-in answered and the NameID it was told, as columns of the session's
  -- row: a SAML sign-in then writes the row and its index entry, not also a participant row in a
  -- B-tree of its own (issue 22, figure 7: 7.8 WAL frames per sign-in before). SPs told later in
  -- the session, and every participant of sessions from before, stay in idp_session_participants;
  -- single logout looks in both (idp/session/idp-sessions.ts).
  ALTER TABLE idp_sessions ADD COLUMN sp_entity_id TEXT;
  ALTER TABLE idp_sessions ADD COLUMN name_id TEXT;
  CREATE INDEX idp_sessions_by_name_id ON idp_sessions (sp_entity_id, name_id)
    WHERE sp_entity_id IS NOT NULL;
  `,
]
