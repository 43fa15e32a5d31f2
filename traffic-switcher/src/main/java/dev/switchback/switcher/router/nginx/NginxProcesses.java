package dev.switchback.switcher.router.nginx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What nginx's processes say of themselves through their titles: which is a master, which worker still accepts. */
final class NginxProcesses {

    private static final String MASTER_TITLE = "nginx: master process";
    private static final String WORKER_TITLE = "nginx: worker process";

    private NginxProcesses() {
    }

    /** The master's workers that take new connections: a worker told to quit retitles itself "is shutting down". */
    static List<Long> acceptingWorkers(ProcessHandle master) {
        if (master == null) {
            return List.of();
        }
        return master.children().filter(child -> title(child).equals(WORKER_TITLE)).map(ProcessHandle::pid).toList();
    }

    /** Those of the given workers that still take new connections. */
    static List<Long> stillAccepting(List<Long> workers) {
        return workers.stream()
                .filter(pid -> ProcessHandle.of(pid).map(NginxProcesses::title).orElse("").equals(WORKER_TITLE))
                .toList();
    }

    /** A live nginx master: a zombie, or another program that reused the pid, has another title. */
    static boolean isMaster(ProcessHandle process) {
        return process.isAlive() && title(process).startsWith(MASTER_TITLE);
    }

    /** The process's title as nginx sets it; empty where /proc cannot tell, which skips the checks that use it. */
    static String title(ProcessHandle process) {
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return new String(cmdline, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return "";
        }
    }
}
