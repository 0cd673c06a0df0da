package dev.jfail.core;

/**
 * A method that carries a failpoint, as the agent declares it when it instruments the method.
 *
 * @param method     readable name, e.g. {@code dev.jfail.kernel.vm.VmFault.relock(int)}, followed by the
 *                   position of a declared point inside the method ({@code com.acme.Pool.borrow():1088},
 *                   {@code ...:exit}, {@code ...:before=lock#2}); nothing for a point at entry
 * @param returnType the Java name of its return type: {@code void}, {@code int}, {@code boolean},
 *                   {@code java.lang.Long}, ...; decides which {@code return(n)} it can honour
 */
public record Site(String method, String returnType) {
}
