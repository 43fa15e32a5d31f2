-- The audit trail's table came with release-api's own V7__audit.sql until the DDL moved to common-audit's
-- db/audit/V0_3__audit.sql (the same statements, so the same checksum), which every service now applies. A database
-- that applied V7 has the table already: its history row is renamed to the migration that now owns the table, so
-- Flyway finds no missing V7 and no skipped 0.3 there, while a new database gets the table from 0.3. Runs before
-- every validation; changes nothing once renamed, or on a database that never had V7.
DO $$
BEGIN
    IF to_regclass('flyway_schema_history') IS NOT NULL THEN
        UPDATE flyway_schema_history
           SET version = '0.3', script = 'V0_3__audit.sql'
         WHERE version = '7' AND script = 'V7__audit.sql' AND success
           AND NOT EXISTS (SELECT 1 FROM flyway_schema_history WHERE version = '0.3');
    END IF;
END
$$;
