package dev.stepwise.serve;

import ai.djl.Device;
import dev.stepwise.orm.OutcomeRewardModel;
import dev.stepwise.prm.ModelCard;
import dev.stepwise.prm.ProcessRewardModel;
import dev.stepwise.serve.internal.HttpService;
import dev.stepwise.serve.internal.RewardModelBackend;
import dev.stepwise.serve.internal.ScoringBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scoring service: PRM and ORM models loaded side by side behind one Vert.x HTTP server.
 *
 * <p>Routes, limits and errors are described in {@code docs/serving.md} and served as OpenAPI at
 * {@code /openapi.json}. {@link #start} returns once the server listens; {@link #close()} stops it gracefully and frees
 * the models. Thread-safe.
 */
public final class ScoringServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScoringServer.class);

    private final HttpService service;
    private final List<ScoringBackend> backends;

    private ScoringServer(HttpService service, List<ScoringBackend> backends) {
        this.service = service;
        this.backends = backends;
    }

    /**
     * Loads every model onto {@code device} and starts the server. Each folder's {@code stepwise.json} sets whether it
     * is a PRM or an ORM; a folder without one is loaded as a Qwen2.5-Math-PRM-style PRM.
     *
     * @throws IOException when a model folder cannot be read, or the address cannot be bound
     * @throws IllegalArgumentException when a model folder is invalid or two models share a name
     */
    public static ScoringServer start(ServerConfig config, List<ModelSource> models, Device device)
            throws IOException {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("at least one model is needed; pass --model DIR or --model NAME=DIR");
        }
        Map<String, ScoringBackend> byName = new LinkedHashMap<>();
        List<ScoringBackend> loaded = new ArrayList<>();
        try {
            for (ModelSource source : models) {
                if (byName.containsKey(source.name())) {
                    throw new IllegalArgumentException("two models are named '" + source.name()
                            + "'; give each a distinct name with --model NAME=DIR");
                }
                ScoringBackend backend = load(source, device);
                loaded.add(backend);
                byName.put(source.name(), backend);
            }
            return new ScoringServer(HttpService.start(config, byName), loaded);
        } catch (java.io.UncheckedIOException e) {
            loaded.forEach(ScoringBackend::close);
            throw e.getCause();
        } catch (IOException | RuntimeException e) {
            loaded.forEach(ScoringBackend::close);
            throw e;
        }
    }

    private static ScoringBackend load(ModelSource source, Device device) throws IOException {
        long start = System.nanoTime();
        boolean hasCard = Files.exists(source.dir().resolve(ModelCard.FILE_NAME));
        ModelCard.Task task = hasCard ? ModelCard.read(source.dir()).task() : ModelCard.Task.PRM;
        ScoringBackend backend = task == ModelCard.Task.PRM
                ? RewardModelBackend.of(ProcessRewardModel.load(source.dir(), device))
                : RewardModelBackend.of(OutcomeRewardModel.load(source.dir(), device));
        LOG.info("loaded {} model '{}' from {} on {} in {} ms", task, source.name(), source.dir(), device,
                (System.nanoTime() - start) / 1_000_000);
        return backend;
    }

    /** Returns the bound port, the actual one when the configuration requested port 0. */
    public int port() {
        return service.port();
    }

    /**
     * Stops taking requests, waits for those in flight (up to {@link ServerConfig#shutdownTimeout()}), stops the
     * server and frees the models. Blocks; do not call it from a Vert.x event loop.
     */
    @Override
    public void close() {
        try {
            service.close();
        } finally {
            backends.forEach(ScoringBackend::close);
        }
    }
}
