package dev.switchback.infra;

/**
 * One Kafka broker and one PostgreSQL server shared by every test of a test JVM: started on first use, stopped
 * when the JVM exits. Each service's tests get a database of their own in the shared server.
 */
public final class SharedInfra {

    private static SharedInfra instance;

    private final KafkaBroker kafka;
    private final Postgres postgres;

    private SharedInfra(KafkaBroker kafka, Postgres postgres) {
        this.kafka = kafka;
        this.postgres = postgres;
    }

    public static synchronized SharedInfra get() {
        if (instance == null) {
            Postgres postgres = Postgres.start(null, 0);
            KafkaBroker kafka = InJvmKafkaBroker.start();
            instance = new SharedInfra(kafka, postgres);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                kafka.close();
                postgres.close();
            }, "shared-infra-stop"));
        }
        return instance;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public Postgres postgres() {
        return postgres;
    }
}
