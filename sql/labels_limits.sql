-- Large label values: the canonical text's size is computed before anything is allocated.
-- Above PostgreSQL's 1 GB limit of a text value both functions raise 54000 (tested at the
-- unit level: such a value takes seconds and gigabytes); below it they answer.
\set VERBOSITY default

-- 1,000,000 control characters, each written as \u0001: a 6,000,008-byte text.
SELECT length(labels_canonical_text(jsonb_build_object('k', repeat(chr(1), 1000000)))) AS text_length,
       labels_canonical_text(jsonb_build_object('k', repeat(chr(1), 1000000)))
           = '{"k":"' || repeat('\u0001', 1000000) || '"}' AS text_as_expected,
       labels_fingerprint(jsonb_build_object('k', repeat(chr(1), 1000000))) IS NOT NULL AS has_fingerprint;

-- User data in error messages is cut after 64 characters, between characters: a key of
-- 1000 two-byte characters, and one of mixed 1- to 4-byte characters.
SELECT labels_canonical(jsonb_build_object(repeat('é', 1000), '[]'::jsonb));
SELECT labels_canonical_text(jsonb_build_object(repeat('aé€𝄞', 500), '{"x":1}'::jsonb));
-- 64 characters exactly are not cut.
SELECT labels_fingerprint(jsonb_build_object(repeat('é', 64), '[]'::jsonb));
-- The message's length in characters, whatever the key's length.
DO $$
DECLARE
    key_length int;
BEGIN
    FOREACH key_length IN ARRAY ARRAY[1, 64, 65, 2000, 100000] LOOP
        BEGIN
            PERFORM labels_canonical(jsonb_build_object(repeat('€', key_length), '[]'::jsonb));
        EXCEPTION WHEN invalid_parameter_value THEN
            RAISE NOTICE 'key of % characters: message of % characters', key_length, length(SQLERRM);
        END;
    END LOOP;
END $$;
