-- Facts about the database file itself, e.g. that the demo built it ('demo' → its as-of date).
-- The demo rebuilds only a file that carries its mark (or an empty one), never a user's data.

CREATE TABLE ducklens_meta (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL
);
