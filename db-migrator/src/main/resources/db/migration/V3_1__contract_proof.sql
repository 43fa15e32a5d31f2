-- A contract release waits, PROVING, while a copy of the live version runs against a schema copy: the run keeps the
-- release's spec and the copy's name so the verdict, delivered later, can finish it (or a redelivery find it done).
ALTER TABLE migration_run ADD COLUMN spec TEXT;
ALTER TABLE migration_run ADD COLUMN copy_database TEXT;
