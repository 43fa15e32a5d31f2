package dev.switchback.releaseapi.freeze.service;

import dev.switchback.audit.AuditLog;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.UUID;

/** Records and ends an environment's freezes (one-off windows and recurring schedules), each change audited with it. */
@ApplicationScoped
public class FreezeService {

    private final AuditLog audit;

    public FreezeService(AuditLog audit) {
        this.audit = audit;
    }

    /** Records a new freeze of an environment. */
    @Transactional
    public void create(String environment, PanacheEntityBase freeze, String action, String detail) {
        freeze.persist();
        audit.append(action, null, environment, null, detail);
    }

    /** Ends a freeze of an environment; false when the environment has none with that id. */
    @Transactional
    public boolean delete(Class<? extends PanacheEntityBase> kind, String environment, UUID id, String action, String what) {
        int deleted = Panache.getEntityManager()
                .createQuery("delete from " + kind.getSimpleName() + " f where f.id = :id and f.environment = :environment")
                .setParameter("id", id).setParameter("environment", environment).executeUpdate();
        if (deleted > 0) {
            audit.append(action, null, environment, null, what + " " + id);
        }
        return deleted > 0;
    }
}
