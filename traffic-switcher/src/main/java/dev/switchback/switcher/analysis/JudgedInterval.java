package dev.switchback.switcher.analysis;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One interval analysis judged, as {@link AnalysisHistory} keeps it. */
@Entity
@Table(name = "analysis_interval")
public class JudgedInterval extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "release_id")
    public String releaseId;

    public Instant at;

    @Column(name = "window_name")
    public String window;

    @Column(name = "green_weight")
    public int greenWeight;

    public long requests;

    public long errors;

    @Column(name = "error_rate")
    public double errorRate;

    @Column(name = "p99_millis")
    public double p99Millis;

    public String verdict;

    public String reason;
}
