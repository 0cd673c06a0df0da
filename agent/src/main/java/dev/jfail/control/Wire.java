package dev.jfail.control;

import dev.jfail.jmx.PointStatus;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The control channel's encoding of the values {@link dev.jfail.jmx.FailPointsMXBean} takes and
 * returns: a tag byte, then the value. Plain data only (no Java serialization): a peer can make the
 * reader build strings, numbers, lists, maps and point statuses, nothing else, and of bounded size.
 *
 * <pre>
 * value   = 'N'                        null
 *         | 'S' string | 'J' int64 | 'Z' byte
 *         | 'L' count value*            a list
 *         | 'M' count (string value)*   a map with string keys, in order
 *         | 'P' name setting declared sites evaluations fired threads   a {@link PointStatus}
 *         | 'T' name id state stack     a {@link PointStatus.HeldThread}
 * string  = length:int32 UTF-8 bytes
 * </pre>
 */
final class Wire {

    /** Greets a client: the protocol's name and version. */
    static final String HELLO = "jfail-control/1";

    private static final int MAX_STRING_BYTES = 1 << 20;
    private static final int MAX_COUNT = 1 << 20;

    private Wire() {
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_STRING_BYTES) {
            throw new ProtocolException("string of " + length + " bytes");
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new ProtocolException("truncated string");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static void write(DataOutputStream out, Object value) throws IOException {
        if (value == null) {
            out.writeByte('N');
        } else if (value instanceof String s) {
            out.writeByte('S');
            writeString(out, s);
        } else if (value instanceof Long || value instanceof Integer) {
            out.writeByte('J');
            out.writeLong(((Number) value).longValue());
        } else if (value instanceof Boolean b) {
            out.writeByte('Z');
            out.writeBoolean(b);
        } else if (value instanceof PointStatus p) {
            out.writeByte('P');
            writeString(out, p.getName());
            writeString(out, p.getSetting());
            out.writeBoolean(p.isDeclared());
            write(out, p.getSites());
            out.writeLong(p.getEvaluations());
            write(out, p.getFired());
            write(out, p.getThreads());
        } else if (value instanceof PointStatus.HeldThread t) {
            out.writeByte('T');
            writeString(out, t.getThreadName());
            out.writeLong(t.getThreadId());
            writeString(out, t.getState());
            write(out, t.getStack());
        } else if (value instanceof Collection<?> list) {
            out.writeByte('L');
            out.writeInt(list.size());
            for (Object item : list) {
                write(out, item);
            }
        } else if (value instanceof Map<?, ?> map) {
            out.writeByte('M');
            out.writeInt(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                writeString(out, String.valueOf(e.getKey()));
                write(out, e.getValue());
            }
        } else {
            throw new IllegalArgumentException("the control channel carries no " + value.getClass().getName());
        }
    }

    static Object read(DataInputStream in) throws IOException {
        int tag = in.readUnsignedByte();
        switch (tag) {
            case 'N':
                return null;
            case 'S':
                return readString(in);
            case 'J':
                return in.readLong();
            case 'Z':
                return in.readBoolean();
            case 'L': {
                int n = count(in);
                List<Object> list = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    list.add(read(in));
                }
                return list;
            }
            case 'M': {
                int n = count(in);
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    map.put(readString(in), read(in));
                }
                return map;
            }
            case 'P':
                return new PointStatus(readString(in), readString(in), in.readBoolean(), strings(read(in)),
                        in.readLong(), longs(read(in)), threads(read(in)));
            case 'T':
                return new PointStatus.HeldThread(readString(in), in.readLong(), readString(in), strings(read(in)));
            default:
                throw new ProtocolException("unknown value tag " + tag);
        }
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_COUNT) {
            throw new ProtocolException("a list of " + n + " items");
        }
        return n;
    }

    private static List<String> strings(Object value) throws ProtocolException {
        List<String> strings = new ArrayList<>();
        for (Object item : (List<?>) as(List.class, value)) {
            strings.add(as(String.class, item));
        }
        return strings;
    }

    private static Map<String, Long> longs(Object value) throws ProtocolException {
        Map<String, Long> longs = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) as(Map.class, value)).entrySet()) {
            longs.put((String) e.getKey(), as(Long.class, e.getValue()));
        }
        return longs;
    }

    private static List<PointStatus.HeldThread> threads(Object value) throws ProtocolException {
        List<PointStatus.HeldThread> threads = new ArrayList<>();
        for (Object item : (List<?>) as(List.class, value)) {
            threads.add(as(PointStatus.HeldThread.class, item));
        }
        return threads;
    }

    /** {@code value} as a {@code type}, or a protocol error naming what came instead. */
    static <T> T as(Class<T> type, Object value) throws ProtocolException {
        if (!type.isInstance(value)) {
            throw new ProtocolException("expected a " + type.getSimpleName() + ", got "
                    + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        return type.cast(value);
    }
}
