package dev.jfail.control;

import dev.jfail.jmx.PointStatus;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
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
 * reader build strings, numbers, lists, maps and point statuses, nothing else, of bounded size:
 * every request and answer is one frame of at most {@link #MAX_REQUEST_BYTES} or
 * {@link #MAX_ANSWER_BYTES}, read whole before it is decoded, and values nest at most
 * {@link #MAX_DEPTH} deep (a point status's thread's stack is 3).
 *
 * <pre>
 * greeting = string int64              the protocol's name and the server's pid; or one string, why not
 * request  = length:int32 (string:method count:int32 value*)      a frame
 * answer   = length:int32 ('=' value | 'A' string | 'E' string)   a frame
 * value    = 'N'                        null
 *          | 'S' string | 'J' int64 | 'Z' byte
 *          | 'L' count value*            a list
 *          | 'M' count (string value)*   a map with string keys, in order
 *          | 'P' name setting declared sites evaluations fired threads   a {@link PointStatus}
 *          | 'T' name id state stack     a {@link PointStatus.HeldThread}
 * string   = length:int32 UTF-8 bytes
 * </pre>
 */
final class Wire {

    /** Greets a client: the protocol's name and version (2: requests and answers in frames). */
    static final String HELLO = "jfail-control/2";

    /** The largest request the agent reads: a few settings or declarations. */
    static final int MAX_REQUEST_BYTES = 1 << 20;
    /** The largest answer the CLI reads: the status of every point of a large application. */
    static final int MAX_ANSWER_BYTES = 64 << 20;
    /** How deep values may nest; deeper is a protocol error, not a {@link StackOverflowError}. */
    static final int MAX_DEPTH = 8;

    private static final int MAX_STRING_BYTES = 1 << 20;
    private static final int MAX_COUNT = 1 << 20;

    private Wire() {
    }

    /** Writes {@code frame}'s bytes as one frame: its length, then the bytes. */
    static void writeFrame(DataOutputStream out, ByteArrayOutputStream frame) throws IOException {
        out.writeInt(frame.size());
        frame.writeTo(out);
    }

    /** One frame of at most {@code max} bytes, as a stream to decode; a longer one is a protocol error. */
    static DataInputStream readFrame(DataInputStream in, int max) throws IOException {
        int length = frameLength(in.readInt(), max);
        byte[] bytes = in.readNBytes(length); // grows as the bytes come, not to the length announced
        if (bytes.length < length) {
            throw new EOFException("truncated frame");
        }
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }

    /** {@code length} when it is a frame's length of at most {@code max} bytes. */
    static int frameLength(int length, int max) throws ProtocolException {
        if (length < 0 || length > max) {
            throw new ProtocolException("a frame of " + length + " bytes (at most " + max + ")");
        }
        return length;
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
        return read(in, 1);
    }

    private static Object read(DataInputStream in, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new ProtocolException("values nested more than " + MAX_DEPTH + " deep");
        }
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
                    list.add(read(in, depth + 1));
                }
                return list;
            }
            case 'M': {
                int n = count(in);
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    map.put(readString(in), read(in, depth + 1));
                }
                return map;
            }
            case 'P':
                return new PointStatus(readString(in), readString(in), in.readBoolean(), strings(read(in, depth + 1)),
                        in.readLong(), longs(read(in, depth + 1)), threads(read(in, depth + 1)));
            case 'T':
                return new PointStatus.HeldThread(readString(in), in.readLong(), readString(in), strings(read(in, depth + 1)));
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
