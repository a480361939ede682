/**
 * The SP database schema, one entry per version; never edit a released entry, append a new one.
 * Times are milliseconds on the SP's injected clock. Secrets (session and browser tokens) are
 * stored as SHA-256 digests, never as they travel in cookies.
 */
export const migrations: readonly string[] = [
  `
  -- Short-lived state that must survive a restart: SP sessions, pending AuthnRequests, pending
  -- logouts, OIDC logins, replay caches. One table, a namespace per store.
  CREATE TABLE expiring (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (namespace, key)
  ) WITHOUT ROWID;
  CREATE INDEX expiring_by_end ON expiring (expires_at);

  -- Accounts: one per external ID (inSided: the unique user identifier).
  CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    external_id TEXT NOT NULL UNIQUE,
    issuer TEXT NOT NULL,
    name TEXT,
    email TEXT,
    phone TEXT,
    company TEXT,
    department TEXT,
    product TEXT,
    username TEXT,
    avatar TEXT,
    roles TEXT NOT NULL DEFAULT '[]',
    custom_fields TEXT NOT NULL DEFAULT '{}',
    custom_variables TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  -- An email address belongs to one account at most (compared case-insensitively).
  CREATE UNIQUE INDEX contacts_email ON contacts (lower(email)) WHERE email IS NOT NULL;
  CREATE UNIQUE INDEX contacts_username ON contacts (lower(username)) WHERE username IS NOT NULL;

  CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    campaign TEXT NOT NULL,
    visitor TEXT NOT NULL,
    contact_id INTEGER REFERENCES contacts (id),
    survey TEXT NOT NULL DEFAULT '{}',
    team TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'ended')),
    started_at INTEGER NOT NULL,
    ended_at INTEGER
  );
  CREATE INDEX conversations_by_visitor ON conversations (visitor, status);

  CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    author TEXT NOT NULL CHECK (author IN ('visitor', 'agent', 'system')),
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE INDEX messages_by_conversation ON messages (conversation_id, id);

  -- What stays when a conversation ends: who it was with (external ID), the contact as it was,
  -- and every message. History is searched by external ID.
  CREATE TABLE transcripts (
    conversation_id INTEGER PRIMARY KEY REFERENCES conversations (id),
    campaign TEXT NOT NULL,
    external_id TEXT,
    contact TEXT NOT NULL,
    team TEXT NOT NULL,
    messages TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER NOT NULL
  );
  CREATE INDEX transcripts_by_external_id ON transcripts (external_id);
  `,
  `
  -- Agents of the agent SSO sites (sp/agents): provisioned beforehand by configuration or the
  -- admin API, never created by a sign-in. A login name is unique per site and compared
  -- case-sensitively (SQLite's default BINARY collation). The password hash is scrypt
  -- (sp/agents/password-hash.ts) and only counts while the site's SSO is off.
  CREATE TABLE agents (
    id INTEGER PRIMARY KEY,
    site_id TEXT NOT NULL,
    login_name TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    password_hash TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (site_id, login_name)
  );
  `,
  `
  -- Expiry is purged per namespace: (namespace, expires_at) finds a namespace's ended rows without
  -- scanning its live ones, so a purge costs the same at 1,000 live sessions as at 50,000.
  CREATE INDEX expiring_by_namespace_end ON expiring (namespace, expires_at);
  DROP INDEX expiring_by_end;
  `,
  `
  -- Several IdPs per site: an account is keyed by (issuer, external ID), never by the external ID
  -- alone, so two IdPs that both know an "alice" make two accounts. An account made before SSO
  -- (admin API, no IdP yet) has neither; linking it by verified email sets both (campaign
  -- setting accounts.linkByEmail). SQLite cannot drop a column's UNIQUE, so the table is rebuilt
  -- (sqlite.org/lang_altertable.html §7; migrate() in core/store/open-database.ts turns foreign keys off around it).
  CREATE TABLE contacts_keyed (
    id INTEGER PRIMARY KEY,
    external_id TEXT,
    issuer TEXT,
    name TEXT,
    email TEXT,
    phone TEXT,
    company TEXT,
    department TEXT,
    product TEXT,
    username TEXT,
    avatar TEXT,
    roles TEXT NOT NULL DEFAULT '[]',
    custom_fields TEXT NOT NULL DEFAULT '{}',
    custom_variables TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (issuer, external_id),
    CHECK ((external_id IS NULL) = (issuer IS NULL))
  );
  INSERT INTO contacts_keyed SELECT id, external_id, issuer, name, email, phone, company,
    department, product, username, avatar, roles, custom_fields, custom_variables, created_at,
    updated_at FROM contacts;
  DROP TABLE contacts;
  ALTER TABLE contacts_keyed RENAME TO contacts;
  CREATE UNIQUE INDEX contacts_email ON contacts (lower(email)) WHERE email IS NOT NULL;
  CREATE UNIQUE INDEX contacts_username ON contacts (lower(username)) WHERE username IS NOT NULL;
  CREATE INDEX contacts_by_external_id ON contacts (external_id);
  `,
  `
  -- A pending AuthnRequest is one row keyed by its browser's cookie digest
  -- (sp/session/pending-requests.ts), no longer a row by request ID plus an index row by browser:
  -- the index rows left would never be read or purged again.
  DELETE FROM expiring WHERE namespace LIKE '%:pending-requests-by-browser';
  `,
  `
  -- Expiring rows in a rowid table with a UNIQUE (namespace, key) index, no longer WITHOUT ROWID.
  -- A WITHOUT ROWID leaf keeps at most about 1,000 bytes of a row in place (4 KiB pages); a
  -- session's row (about 1.5 KB of JSON) went on to an overflow page of its own, and a key
  -- comparison that met such a row on its way down the tree read that page again from the file
  -- (about 24 reads per sign-in in serve). A rowid table keeps rows up to about 4 KB on their leaf,
  -- appends new ones at its end, and its two indexes hold keys only (sqlite.org/withoutrowid.html,
  -- "When to use WITHOUT ROWID": rows under about 1/20 of a page).
  CREATE TABLE expiring_rows (
    id INTEGER PRIMARY KEY,
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    UNIQUE (namespace, key)
  );
  INSERT INTO expiring_rows (namespace, key, value, expires_at)
    SELECT namespace, key, value, expires_at FROM expiring;
  DROP TABLE expiring;
  ALTER TABLE expiring_rows RENAME TO expiring;
  CREATE INDEX expiring_by_namespace_end ON expiring (namespace, expires_at);
  `,
  `
  -- Pending AuthnRequests in a WITHOUT ROWID table of their own: a row of about 150 bytes is one
  -- entry of its primary key's B-tree, so adding one (GET /login) and consuming it (the ACS) each
  -- change two B-trees (that key and the (namespace, expires_at) index) instead of three (the
  -- rowid table, its UNIQUE (namespace, key) index and that index): one WAL frame fewer for each
  -- write (serve: 15.7 → 14.3 frames per sign-in). Rows this small stay on their leaf (migration 6
  -- is about rows of 1.5 KB); a store keeps its rows here only when its values are as small
  -- (sp/store/stored-expiring-map.ts, ExpiringTable).
  CREATE TABLE expiring_small (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (namespace, key)
  ) WITHOUT ROWID;
  CREATE INDEX expiring_small_by_namespace_end ON expiring_small (namespace, expires_at);
  INSERT INTO expiring_small (namespace, key, value, expires_at)
    SELECT namespace, key, value, expires_at FROM expiring WHERE namespace LIKE '%:pending-requests';
  DELETE FROM expiring WHERE namespace LIKE '%:pending-requests';
  `,
]
