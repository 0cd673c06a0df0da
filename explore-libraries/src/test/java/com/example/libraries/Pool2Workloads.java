package com.example.libraries;

import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.ObjectPool;
import org.apache.commons.pool2.PoolUtils;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A documented race of commons-pool2, as an application meets it. */
final class Pool2Workloads {

    private Pool2Workloads() {
    }

    /**
     * POOL-426 (commons-pool2 2.13.0 and 2.13.1): {@code GenericObjectPool.addObject()} checks the
     * number of idle objects against {@code maxIdle} and then creates and adds one, with nothing
     * between the check and the act; two threads pre-loading a pool at once both pass the check.
     * The symptom: more idle objects than {@code maxIdle}.
     *
     * @param synchronizedPool true for the correct use when callers need the check and the act
     *                         together: the pool behind {@code PoolUtils.synchronizedPool}
     */
    static void preload(boolean synchronizedPool) throws Exception {
        GenericObjectPoolConfig<StringBuilder> config = new GenericObjectPoolConfig<>();
        config.setJmxEnabled(false);
        config.setMaxIdle(1);
        try (GenericObjectPool<StringBuilder> generic = new GenericObjectPool<>(new Buffers(), config)) {
            ObjectPool<StringBuilder> pool = synchronizedPool ? PoolUtils.synchronizedPool(generic) : generic;
            Runnable preload = () -> {
                try {
                    pool.addObject();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            Thread[] threads = Threads.start(preload, preload);
            Threads.joinOrFailOnDeadlock(threads);
            assertTrue(generic.getNumIdle() <= 1, "maxIdle is 1 but " + generic.getNumIdle() + " objects are idle");
        }
    }

    private static final class Buffers extends BasePooledObjectFactory<StringBuilder> {
        @Override
        public StringBuilder create() {
            return new StringBuilder();
        }

        @Override
        public PooledObject<StringBuilder> wrap(StringBuilder buffer) {
            return new DefaultPooledObject<>(buffer);
        }
    }
}
