package dev.jfail.jmx;

import dev.jfail.FailPoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.management.JMX;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MBean as a generic JMX client (jconsole) sees it: operations by name, open types, plain errors. */
class FailPointsControlTest {

    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
    private static final ObjectName NAME = FailPointsControl.objectName();

    @BeforeAll
    static void register() {
        FailPointsControl.register();
    }

    @AfterEach
    void off() {
        FailPoints.off("jmx_a");
    }

    @Test
    void registeringTwiceIsHarmless() {
        FailPointsControl.register();
        assertTrue(SERVER.isRegistered(NAME));
    }

    @Test
    void theOperationsAreThoseOfTheProduct() throws Exception {
        Set<String> operations = Arrays.stream(SERVER.getMBeanInfo(NAME).getOperations())
                .map(MBeanOperationInfo::getName).collect(Collectors.toSet());
        assertTrue(operations.containsAll(Set.of("list", "get", "set", "off", "reset", "status")), operations.toString());
    }

    @Test
    void everyOperationTheReadmeListsIsAnOperationWithNamedParameters() throws Exception {
        MBeanInfo info = SERVER.getMBeanInfo(NAME);
        Map<String, List<String>> operations = Arrays.stream(info.getOperations()).collect(Collectors.toMap(
                MBeanOperationInfo::getName,
                op -> Arrays.stream(op.getSignature()).map(MBeanParameterInfo::getName).toList()));
        assertEquals(Map.of("list", List.of(), "get", List.of("name"), "set", List.of("name", "setting"),
                "setAll", List.of("settings"), "off", List.of("name"), "reset", List.of(),
                "status", List.of("name"), "statusAll", List.of(), "declare", List.of("specs")), operations);
        assertTrue(Arrays.stream(info.getAttributes()).noneMatch(a -> a.getName().equals("All")),
                "setAll is no write-only attribute");
        assertTrue(Arrays.stream(info.getOperations()).allMatch(op -> !op.getDescription().startsWith("Operation")),
                "every operation says what it does");
    }

    @Test
    void setAllIsInvokedAsAnOperation() throws Exception {
        SERVER.invoke(NAME, "setAll", new Object[] {"jmx_a=return(3)"}, new String[] {"java.lang.String"});
        assertEquals("return(3)", FailPoints.get("jmx_a"));
    }

    @Test
    void setGetAndOffByName() throws Exception {
        SERVER.invoke(NAME, "set", new Object[] {"jmx_a", "50%sleep(10)"}, new String[] {"java.lang.String", "java.lang.String"});
        assertEquals("50%sleep(10)", FailPoints.get("jmx_a"));
        assertEquals("50%sleep(10)", SERVER.invoke(NAME, "get", new Object[] {"jmx_a"}, new String[] {"java.lang.String"}));
        TabularData list = (TabularData) SERVER.invoke(NAME, "list", new Object[0], new String[0]);
        assertTrue(list.values().stream().map(CompositeData.class::cast)
                .anyMatch(row -> row.get("key").equals("jmx_a") && row.get("value").equals("50%sleep(10)")));
        SERVER.invoke(NAME, "off", new Object[] {"jmx_a"}, new String[] {"java.lang.String"});
        assertEquals("off", FailPoints.get("jmx_a"));
    }

    @Test
    void statusIsOpenData() throws Exception {
        FailPoints.set("jmx_a", "return(1)");
        CompositeData status = (CompositeData) SERVER.invoke(NAME, "status", new Object[] {"jmx_a"}, new String[] {"java.lang.String"});
        assertEquals("jmx_a", status.get("name"));
        assertEquals("return(1)", status.get("setting"));
        assertEquals(false, status.get("declared"));
    }

    @Test
    void aBadSettingComesBackAsAPlainOneLineIllegalArgumentException() {
        RuntimeMBeanException e = assertThrows(RuntimeMBeanException.class, () -> SERVER.invoke(NAME, "set",
                new Object[] {"jmx_a", "50%slep(10)"}, new String[] {"java.lang.String", "java.lang.String"}));
        IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, e.getTargetException());
        assertEquals(IllegalArgumentException.class, cause.getClass(), "a JDK type any client can deserialize");
        assertTrue(cause.getMessage().contains("column"), cause.getMessage());
        assertFalse(cause.getMessage().contains("\n"));
        assertEquals("off", FailPoints.get("jmx_a"));
    }

    @Test
    void theTypedProxyTheCliUses() {
        FailPointsMXBean proxy = JMX.newMXBeanProxy(SERVER, NAME, FailPointsMXBean.class);
        proxy.setAll("jmx_a=5*return(22)->off");
        assertEquals("5*return(22)", proxy.get("jmx_a"));
        PointStatus status = proxy.status("jmx_a");
        assertEquals("5*return(22)", status.getSetting());
        assertTrue(proxy.statusAll().stream().anyMatch(s -> s.getName().equals("jmx_a")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> proxy.set("jmx_a", "bogus"));
        assertTrue(e.getMessage().contains("bogus"), e.getMessage());
        proxy.setSeed(42);
        assertEquals(42, proxy.getSeed());
    }
}
