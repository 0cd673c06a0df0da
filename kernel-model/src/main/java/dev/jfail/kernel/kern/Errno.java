package dev.jfail.kernel.kern;

/** errno values as sys/errno.h (FreeBSD) defines them; the model's functions return these. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int EDEADLK = 11;
    public static final int ENOMEM = 12;
    public static final int EBUSY = 16;
    public static final int EINVAL = 22;
    public static final int EAGAIN = 35;
    public static final int EWOULDBLOCK = EAGAIN;
    public static final int EOPNOTSUPP = 45;

    private Errno() {
    }
}
