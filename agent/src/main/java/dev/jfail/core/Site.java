package dev.jfail.core;

/**
 * A method that carries a failpoint, as the agent declares it when it instruments the method.
 *
 * @param method     readable name, e.g. {@code dev.jfail.kernel.vm.VmFault.relock(int)}
 * @param returnType the Java name of its return type: {@code void}, {@code int}, {@code boolean},
 *                   {@code java.lang.Long}, ...; decides which {@code return(n)} it can honour
 */
public record Site(String method, String returnType) {
}
