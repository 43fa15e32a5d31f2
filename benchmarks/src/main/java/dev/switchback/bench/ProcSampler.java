package dev.switchback.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples processes' resident memory and CPU from /proc every {@code period} on a thread of its own: the peak RSS and
 * the CPU share (of one core) of each sampling period, so a run can report peak and mean per process.
 */
public final class ProcSampler implements AutoCloseable {

    /** TICKS: Linux's USER_HZ, the unit of utime and stime in /proc/PID/stat. */
    private static final double TICKS = 100.0;

    private final Map<String, Long> pids;
    private final Map<String, List<Double>> rss = new LinkedHashMap<>();
    private final Map<String, List<Double>> cpu = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    public ProcSampler(Map<String, Long> pids, Duration period) {
        this.pids = Map.copyOf(pids);
        pids.keySet().forEach(name -> {
            rss.put(name, new ArrayList<>());
            cpu.put(name, new ArrayList<>());
        });
        thread = new Thread(() -> loop(period), "bench-proc-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(Duration period) {
        Map<String, Long> lastTicks = new LinkedHashMap<>();
        long lastAt = System.nanoTime();
        pids.forEach((name, pid) -> lastTicks.put(name, cpuTicks(pid)));
        while (running) {
            try {
                Thread.sleep(period.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            double seconds = (now - lastAt) / 1e9;
            lastAt = now;
            synchronized (this) {
                pids.forEach((name, pid) -> {
                    long ticks = cpuTicks(pid);
                    if (ticks >= 0 && lastTicks.get(name) >= 0) {
                        cpu.get(name).add((ticks - lastTicks.get(name)) / TICKS / seconds * 100);
                    }
                    lastTicks.put(name, ticks);
                    double mib = rssMiB(pid);
                    if (mib > 0) {
                        rss.get(name).add(mib);
                    }
                });
            }
        }
    }

    /** RSS samples (MiB) per process. */
    public synchronized Map<String, List<Double>> rss() {
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        rss.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    /** CPU samples (% of one core over each period) per process. */
    public synchronized Map<String, List<Double>> cpu() {
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        cpu.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    /** A process' resident set now, MiB; 0 when it is gone. */
    public static double rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }

    /** utime + stime of a process, in ticks; -1 when it is gone. */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
