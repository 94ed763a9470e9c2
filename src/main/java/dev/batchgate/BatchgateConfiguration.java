package dev.batchgate;

import dev.batchgate.api.BatchesApi;
import dev.batchgate.api.HttpApi;
import dev.batchgate.api.TargetsApi;
import dev.batchgate.batch.BatchEngine;
import dev.batchgate.batch.BatchFlow;
import dev.batchgate.batch.BatchRequestParser;
import dev.batchgate.batch.EngineSettings;
import dev.batchgate.batch.ItemRunner;
import dev.batchgate.batch.SummaryAggregationStrategy;
import dev.batchgate.config.Settings;
import dev.batchgate.demo.DemoDownstream;
import dev.batchgate.facade.instances.InstancesFacade;
import dev.batchgate.store.JobStore;
import dev.batchgate.store.ResultWriter;
import dev.batchgate.target.TargetCaller;
import dev.batchgate.target.TargetConfigParser;
import dev.batchgate.target.TargetRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires batchgate's parts from the {@code batchgate.*} properties and mounts its HTTP API once Camel is up. */
public class BatchgateConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(BatchgateConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context.getPropertiesComponent());
        // one Vert.x for the HTTP server and the HTTP client: the platform-http server finds it in the registry
        Vertx vertx = Vertx.vertx();
        context.getRegistry().bind("vertx", vertx);

        JobStore store = new JobStore(settings.text("batchgate.db.url", "jdbc:h2:file:./data/batchgate"),
                settings.text("batchgate.db.user", "sa"), settings.text("batchgate.db.password", ""));
        ResultWriter writer = new ResultWriter(store);
        TargetRegistry targets = new TargetRegistry(TargetConfigParser.parse(settings.withPrefix(TargetConfigParser.PREFIX)));
        TargetCaller caller = new TargetCaller(vertx, context);
        EngineSettings engineSettings = new EngineSettings(settings.integer("batchgate.max-items", 100_000),
                settings.integer("batchgate.inline-results-max", 1000),
                settings.duration("batchgate.sync-timeout", Duration.ofSeconds(60)),
                settings.integer("batchgate.breaker.min-finished", 10));
        BatchEngine engine = new BatchEngine(store, targets, engineSettings);

        context.getRegistry().bind("batchEngine", engine);
        context.getRegistry().bind("batchFlow", new BatchFlow(store, writer, new ItemRunner(caller)));
        context.getRegistry().bind("summaryAggregation", new SummaryAggregationStrategy());
        context.getRegistry().bind("itemExecutor", itemExecutor());

        context.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                if (!mounted.compareAndSet(false, true)) {
                    return;
                }
                Router router = serverRouter(ctx, settings.integer("batchgate.port", 8080));
                HttpApi.limitBodies(router, settings.bytes("batchgate.max-body", 32L * 1024 * 1024), "/v1/*", "/api/*", "/mcp");
                new BatchesApi(vertx, engine, new BatchRequestParser(targets, engineSettings.maxItems())).mount(router);
                new TargetsApi(targets).mount(router);
                new InstancesFacade(vertx, engine, settings.text("batchgate.instances.target", "instances"),
                        settings.duration("batchgate.instances.sync-timeout", Duration.ofSeconds(240))).mount(router);
                if (settings.bool("batchgate.demo.enabled", false)) {
                    new DemoDownstream(vertx, settings.duration("batchgate.demo.latency", Duration.ofMillis(200)),
                            settings.integer("batchgate.demo.rpm", 600)).mount(router);
                }
                ProducerTemplate producer = ctx.createProducerTemplate();
                engine.setLauncher(run -> launcher.execute(() -> producer.send("direct:batch-run",
                        exchange -> exchange.setProperty(BatchFlow.RUN_PROPERTY, run))));
                int resumed = engine.resumeUnfinished();
                LOG.info("batchgate ready on http://{}:{} ({} targets{})", settings.text("batchgate.bind", "127.0.0.1"),
                        settings.text("batchgate.port", "8080"), targets.all().size(),
                        resumed > 0 ? ", " + resumed + " batches resumed" : "");
            }
        });
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopping(CamelContext ctx) {
                // before Camel waits for in-flight exchanges: calls in flight finish, the rest resume on the next start
                engine.stopAllForShutdown();
            }
        });
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                engine.stopAllForShutdown();
                writer.close();
                caller.close();
                store.close();
                vertx.close();
            }
        });
    }

    /** The router of the platform-http server, registered under a name that carries the port unless it is 8080. */
    private static Router serverRouter(CamelContext ctx, int port) {
        Router router = VertxPlatformHttpRouter.lookup(ctx, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        return router != null ? router : VertxPlatformHttpRouter.lookup(ctx);
    }

    private final java.util.concurrent.atomic.AtomicBoolean mounted = new java.util.concurrent.atomic.AtomicBoolean();
    private final ExecutorService launcher = Executors.newCachedThreadPool(daemonThreads("batch-"));

    /**
     * Threads for items in flight. Unbounded on purpose: each batch bounds its own items in flight
     * before it hands one out. Virtual threads where the JVM has them (21+).
     */
    static ExecutorService itemExecutor() {
        if (Runtime.version().feature() >= 21) {
            try {
                return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
            } catch (ReflectiveOperationException e) {
                LOG.warn("virtual threads unavailable, using platform threads: {}", e.toString());
            }
        }
        return Executors.newCachedThreadPool(daemonThreads("item-"));
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
