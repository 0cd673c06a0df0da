package dev.jfail.it;

import com.sun.tools.attach.VirtualMachine;
import dev.jfail.it.fixture.TickApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MBean as jconsole meets it: a JMX client in another JVM (this test), with no jfail type,
 * sees every operation the README lists by its name and its parameters by theirs, and uses them.
 */
@Timeout(120)
class JmxIT {

    private static final String[] STRING = {"java.lang.String"};

    @Test
    void aJmxClientInAnotherJvmSeesAndUsesEveryOperation() throws Exception {
        try (Jvm target = Jvm.start(List.of("-javaagent:" + Jvm.agentJar(), "-cp", Jvm.fixtures().toString(),
                TickApp.class.getName()))) {
            target.awaitLine("tick=1 tock=ran third=1");
            VirtualMachine vm = VirtualMachine.attach(String.valueOf(target.pid()));
            String address;
            try {
                address = vm.startLocalManagementAgent(); // what jconsole does for a local JVM
            } finally {
                vm.detach();
            }
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection server = connector.getMBeanServerConnection();
                ObjectName name = new ObjectName("dev.jfail:type=FailPoints");
                await().atMost(Jvm.PATIENCE).until(() -> server.isRegistered(name));

                MBeanInfo info = server.getMBeanInfo(name);
                Map<String, List<String>> operations = Arrays.stream(info.getOperations()).collect(Collectors.toMap(
                        MBeanOperationInfo::getName, op -> Arrays.stream(op.getSignature()).map(MBeanParameterInfo::getName).toList()));
                assertEquals(Map.of("list", List.of(), "get", List.of("name"), "set", List.of("name", "setting"),
                        "setAll", List.of("settings"), "off", List.of("name"), "reset", List.of(),
                        "status", List.of("name"), "statusAll", List.of(), "declare", List.of("specs")), operations);
                assertEquals(List.of("Declarations", "Seed", "Version"),
                        Arrays.stream(info.getAttributes()).map(a -> a.getName()).sorted().toList());

                server.invoke(name, "setAll", new Object[] {"tick=return(7);tock=return"}, STRING);
                target.awaitLine("tick=7 tock=skipped third=1");
                assertEquals("return(7)", server.invoke(name, "get", new Object[] {"tick"}, STRING));
                CompositeData status = (CompositeData) server.invoke(name, "status", new Object[] {"tick"}, STRING);
                assertEquals(true, status.get("declared"));
                server.invoke(name, "declare", new Object[] {"third_version@dev.jfail.it.fixture.ThirdParty#version()I"}, STRING);
                server.invoke(name, "set", new Object[] {"third_version", "return(3)"}, new String[] {"java.lang.String", "java.lang.String"});
                target.awaitLine("tick=7 tock=skipped third=3");
                server.invoke(name, "off", new Object[] {"tock"}, STRING);
                server.invoke(name, "reset", new Object[0], new String[0]);
                target.awaitLine("tick=1 tock=ran third=1");
                assertTrue(server.getAttribute(name, "Version") instanceof String);
            }
        }
    }
}
