-- The README's worked example: a metric_series table that really deduplicates series.
CREATE TABLE metric_series (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    metric_name text  NOT NULL,
    labels      jsonb NOT NULL CHECK (labels = labels_canonical(labels)),
    UNIQUE (metric_name, labels)
);

-- Get or create the id of a series. Safe under concurrent writers in READ COMMITTED:
-- a writer that loses the race on the unique key reads the winner's row on the next loop.
CREATE FUNCTION series_id(p_metric text, p_labels jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    canonical jsonb := labels_canonical(p_labels);
    found_id bigint;
BEGIN
    LOOP
        SELECT s.id INTO found_id FROM metric_series s
        WHERE s.metric_name = p_metric AND s.labels = canonical;
        IF FOUND THEN
            RETURN found_id;
        END IF;
        INSERT INTO metric_series (metric_name, labels) VALUES (p_metric, canonical)
        ON CONFLICT (metric_name, labels) DO NOTHING
        RETURNING id INTO found_id;
        IF FOUND THEN
            RETURN found_id;
        END IF;
    END LOOP;
END $$;

SELECT series_id('http_requests_total', '{"host":"a","port":8080,"path":"/"}') AS first,
       series_id('http_requests_total', '{"path":"/","port":"8080","host":"a"}') AS same_series,
       series_id('http_requests_total', '{"path":"/","port":8080.0,"host":"a","zone":""}') AS still_same,
       series_id('http_requests_total', '{"path":"/","port":8081,"host":"a"}') AS other_series,
       series_id('http_errors_total', '{"host":"a","port":8080,"path":"/"}') AS other_metric;
SELECT id, metric_name, labels FROM metric_series ORDER BY id;

-- Non-canonical labels cannot be written directly.
\set VERBOSITY sqlstate
INSERT INTO metric_series (metric_name, labels) VALUES ('http_requests_total', '{"port":8080}');
INSERT INTO metric_series (metric_name, labels) VALUES ('http_requests_total', '{"host":"a","port":"8080","path":"/"}');
\set VERBOSITY default
SELECT series_id('up', '["not","an","object"]');

DROP FUNCTION series_id(text, jsonb);
DROP TABLE metric_series;
