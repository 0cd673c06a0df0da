package dev.jfail.jmx;

import java.util.Arrays;
import java.util.Map;
import javax.management.Descriptor;
import javax.management.ImmutableDescriptor;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.ReflectionException;
import javax.management.StandardMBean;
import javax.management.openmbean.SimpleType;

/**
 * {@link FailPointsMXBean} as jconsole shows it: every operation the README lists is an operation
 * (MXBean introspection would make {@code setAll(String)} a write-only attribute {@code All}), with
 * its parameters' real names and a description, instead of {@code p0}, {@code p1}.
 */
final class FailPointsMBean extends StandardMBean {

    /** Per operation: its description, then its parameters' names. */
    private static final Map<String, String[]> OPERATIONS = Map.of(
            "list", new String[] {"Every known failpoint to its read-back"},
            "get", new String[] {"The read-back of one failpoint ('off' when off or unknown)", "name"},
            "set", new String[] {"Sets one failpoint, e.g. 50%sleep(10)", "name", "setting"},
            "setAll", new String[] {"Sets several failpoints, all or nothing: a=50%sleep(10);b=return(1)", "settings"},
            "off", new String[] {"Turns one failpoint off, releasing threads paused in it", "name"},
            "reset", new String[] {"Every failpoint off, counters cleared, paused threads released"},
            "status", new String[] {"Counters, sites and held threads of one failpoint", "name"},
            "statusAll", new String[] {"The status of every known failpoint"},
            "declare", new String[] {"Declares failpoints on unannotated methods: NAME@CLASS#METHOD[(DESC)][:POSITION] or auto@CLASS / auto@PACKAGE.*, comma-separated",
                    "specs"});

    private static final String SET_ALL = "setAll";

    private final FailPointsMXBean failPoints;
    private MBeanInfo info; // built once

    FailPointsMBean(FailPointsMXBean failPoints) {
        super(failPoints, FailPointsMXBean.class, true);
        this.failPoints = failPoints;
    }

    @Override
    protected String getDescription(MBeanOperationInfo op) {
        String[] known = OPERATIONS.get(op.getName());
        return known == null ? super.getDescription(op) : known[0];
    }

    @Override
    protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        String[] known = OPERATIONS.get(op.getName());
        return known != null && sequence + 1 < known.length ? known[sequence + 1] : super.getParameterName(op, param, sequence);
    }

    @Override
    public synchronized MBeanInfo getMBeanInfo() {
        if (info == null) {
            MBeanInfo introspected = super.getMBeanInfo();
            MBeanAttributeInfo[] attributes = Arrays.stream(introspected.getAttributes())
                    .filter(a -> !a.getName().equals("All")).toArray(MBeanAttributeInfo[]::new);
            MBeanOperationInfo[] operations = Arrays.copyOf(introspected.getOperations(), introspected.getOperations().length + 1);
            operations[operations.length - 1] = setAllOperation();
            info = new MBeanInfo(introspected.getClassName(), introspected.getDescription(), attributes,
                    introspected.getConstructors(), operations, introspected.getNotifications(), introspected.getDescriptor());
        }
        return info;
    }

    private static MBeanOperationInfo setAllOperation() {
        String[] known = OPERATIONS.get(SET_ALL);
        Descriptor string = new ImmutableDescriptor(new String[] {"openType", "originalType"},
                new Object[] {SimpleType.STRING, "java.lang.String"});
        Descriptor voidType = new ImmutableDescriptor(new String[] {"openType", "originalType"},
                new Object[] {SimpleType.VOID, "void"});
        MBeanParameterInfo settings = new MBeanParameterInfo(known[1], "java.lang.String",
                "name=setting entries separated by ';'", string);
        return new MBeanOperationInfo(SET_ALL, known[0], new MBeanParameterInfo[] {settings}, "void",
                MBeanOperationInfo.ACTION, voidType);
    }

    @Override
    public Object invoke(String operation, Object[] params, String[] signature) throws MBeanException, ReflectionException {
        if (SET_ALL.equals(operation) && params != null && params.length == 1 && params[0] instanceof String settings) {
            failPoints.setAll(settings);
            return null;
        }
        return super.invoke(operation, params, signature);
    }
}
