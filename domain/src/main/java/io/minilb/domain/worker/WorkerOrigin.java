package io.minilb.domain.worker;

/** Where a worker was registered from. */
public enum WorkerOrigin {
    /** The command line or the config file: known at startup. */
    CONFIGURATION,
    /** Added at run time through the worker API. */
    API,
    /** Found by service discovery (Kubernetes pods): added and removed as the pods come and go. */
    DISCOVERY
}
