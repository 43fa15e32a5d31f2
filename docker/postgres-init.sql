-- Switchback's own databases, one per service, and sample-app's target database.
CREATE DATABASE release_api;
CREATE DATABASE db_migrator;
CREATE DATABASE deployer;
CREATE DATABASE traffic_switcher;
CREATE DATABASE sample_app;
