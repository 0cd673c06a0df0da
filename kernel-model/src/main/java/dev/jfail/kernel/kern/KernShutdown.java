package dev.jfail.kernel.kern;

import dev.jfail.kernel.vfs.VfsMount;
import dev.jfail.kernel.vm.SwapPager;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The shutdown sequence: reboot(2) -> kern_reboot (kern/kern_shutdown.c) -> bufshutdown
 * (kern/vfs_bio.c): sync, then swapoff before unmounting "because file-backed swap is
 * non-operational after unmount of the underlying filesystem", then the final halt or reset.
 */
public final class KernShutdown {
    public static final int RB_AUTOBOOT = 0;
    public static final int RB_HALT = 0x8;

    /** Whether the machine got to the end of the shutdown, and the shutdown_pre_sync handlers, per kernel. */
    static final class ShutdownState {
        volatile boolean halted;
        final List<Runnable> shutdown_pre_sync = new CopyOnWriteArrayList<>();
    }

    private static ShutdownState state(Kernel k) {
        return k.subsystem(ShutdownState.class, kernel -> new ShutdownState());
    }

    /** EVENTHANDLER_REGISTER(shutdown_pre_sync, ...): {@code handler} runs as kern_reboot begins. */
    public static void EVENTHANDLER_REGISTER_shutdown_pre_sync(Kernel k, Runnable handler) {
        state(k).shutdown_pre_sync.add(handler);
    }

    private KernShutdown() {
    }

    /** reboot(2). */
    public static int sys_reboot(Kernel k, int opt) {
        kern_reboot(k, opt);
        return 0;
    }

    /** kern_reboot: the shutdown_pre_sync handlers, sync and quiesce (bufshutdown), the uptime, then halt or reset. */
    static void kern_reboot(Kernel k, int howto) {
        state(k).shutdown_pre_sync.forEach(Runnable::run); // EVENTHANDLER_INVOKE(shutdown_pre_sync, howto)
        bufshutdown(k);
        // FreeBSD prints "Uptime: Ns" and "Rebooting..." here; the swapoff report never gets this far,
        // so the model says it on a line of its own
        k.printf("model: shutdown complete (%s)", (howto & RB_HALT) != 0 ? "halted" : "rebooting");
        state(k).halted = true;
    }

    /** bufshutdown: with every buffer synced, swapoff_all and then vfs_unmountall. */
    static void bufshutdown(Kernel k) {
        k.printf("Syncing disks, vnodes remaining... 0 0 done");
        k.printf("All buffers synced.");
        SwapPager.swapoff_all(k);
        VfsMount.vfs_unmountall(k);
    }

    /** Whether the shutdown ran to its end (cpu_reset or halt). */
    public static boolean halted(Kernel k) {
        return state(k).halted;
    }
}
