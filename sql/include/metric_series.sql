-- The README's worked example (section "labels_canonical"): a metric_series table that really
-- deduplicates series, and a get-or-create function for series ids. Used by
-- sql/labels_series.sql and scripts/demo_metrics.sql; specs/labels_series_concurrent.spec
-- holds a copy (isolation specs cannot include files).
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

