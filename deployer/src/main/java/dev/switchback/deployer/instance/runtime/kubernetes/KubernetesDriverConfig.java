package dev.switchback.deployer.instance.runtime.kubernetes;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Settings of the {@code kubernetes} runtime driver. Where the cluster is and who the deployer is to it come from the
 * standard places (the in-cluster service account, {@code KUBECONFIG}, {@code ~/.kube/config}) through
 * {@code quarkus.kubernetes-client.*}, never from here.
 */
@ConfigMapping(prefix = "switchback.deployer.kubernetes")
public interface KubernetesDriverConfig {

    /**
     * How long a retirement waits for the pods of a Deployment scaled to zero to be gone before it deletes the
     * Deployment (which then removes what is left); the process driver waits as long for a process to exit.
     */
    @WithDefault("10s")
    Duration scaleDownWait();
}
