-- Change feed: every committed write to shelters, their wardens or regions sends a notice that PostgresChangeFeed
-- LISTENs for (src/store/postgres/change-feed.ts). NOTIFY is transactional: a rolled-back write sends nothing,
-- and identical notices of one transaction arrive once. The channel carries the schema so installations sharing a
-- database don't wake each other (a channel name is at most 63 bytes, hence left(); the payload repeats the
-- schema so a truncated name cannot mix them up). Payload: '<schema> shelter <id>', '<schema> shelters' (all),
-- '<schema> wardens' or '<schema> regions'.
CREATE OR REPLACE FUNCTION refuge_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  channel TEXT := left('refuge_changes_' || TG_TABLE_SCHEMA, 63);
  id TEXT;
BEGIN
  IF TG_ARGV[0] = 'shelter' THEN
    id := CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END;
    -- A notice's payload is limited to 8000 bytes; an absurdly long id reports every shelter instead of failing the write.
    IF octet_length(id) > 7000 THEN
      PERFORM pg_notify(channel, TG_TABLE_SCHEMA || ' shelters');
    ELSE
      PERFORM pg_notify(channel, TG_TABLE_SCHEMA || ' shelter ' || id);
    END IF;
  ELSE
    PERFORM pg_notify(channel, TG_TABLE_SCHEMA || ' ' || TG_ARGV[0]);
  END IF;
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS shelters_notify ON shelters;
CREATE TRIGGER shelters_notify AFTER INSERT OR UPDATE OR DELETE ON shelters FOR EACH ROW EXECUTE FUNCTION refuge_notify_change('shelter');
DROP TRIGGER IF EXISTS shelters_notify_truncate ON shelters;
CREATE TRIGGER shelters_notify_truncate AFTER TRUNCATE ON shelters FOR EACH STATEMENT EXECUTE FUNCTION refuge_notify_change('shelters');

-- Row-level: an assignment that changes nothing (already assigned) sends nothing.
DROP TRIGGER IF EXISTS shelter_wardens_notify ON shelter_wardens;
CREATE TRIGGER shelter_wardens_notify AFTER INSERT OR UPDATE OR DELETE ON shelter_wardens FOR EACH ROW EXECUTE FUNCTION refuge_notify_change('wardens');
DROP TRIGGER IF EXISTS shelter_wardens_notify_truncate ON shelter_wardens;
CREATE TRIGGER shelter_wardens_notify_truncate AFTER TRUNCATE ON shelter_wardens FOR EACH STATEMENT EXECUTE FUNCTION refuge_notify_change('wardens');

-- Statement-level: an import of thousands of regions sends one notice per statement, not per row.
DROP TRIGGER IF EXISTS regions_notify ON regions;
CREATE TRIGGER regions_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON regions FOR EACH STATEMENT EXECUTE FUNCTION refuge_notify_change('regions');
