-- labels benchmark: the timed queries (the harness is bench/harness.sql).
\ir ../harness.sql

-- The timed queries: (name, sql). Each reads every label set once.
INSERT INTO bench.query (name, sql) VALUES
('scan',        'SELECT count(labels) FROM label_sets'),
('canonical',   'SELECT count(labels_canonical(labels)) FROM label_sets'),
('text',        'SELECT count(labels_canonical_text(labels)) FROM label_sets'),
('fingerprint', 'SELECT count(labels_fingerprint(labels)) FROM label_sets'),
('sql_helper',  'SELECT count((SELECT jsonb_object_agg(key, value ORDER BY key) FROM jsonb_each(labels))) FROM label_sets');
