package dev.batchgate;

import dev.batchgate.api.BatchesApi;
import dev.batchgate.api.ClusterApi;
import dev.batchgate.api.OpenApiDocument;
import dev.batchgate.api.SchedulesApi;
import dev.batchgate.api.TargetsApi;
import dev.batchgate.batch.BatchEngine;
import dev.batchgate.batch.BatchFlow;
import dev.batchgate.batch.BatchLauncher;
import dev.batchgate.batch.BatchRequestParser;
import dev.batchgate.batch.CallerRunsExecutor;
import dev.batchgate.batch.EngineSettings;
import dev.batchgate.batch.GracefulShutdown;
import dev.batchgate.batch.ItemRunner;
import dev.batchgate.batch.ItemSlots;
import dev.batchgate.batch.ItemStatus;
import dev.batchgate.batch.ItemSteps;
import dev.batchgate.cluster.ClusterNode;
import dev.batchgate.concurrent.DaemonThreads;
import dev.batchgate.config.Settings;
import dev.batchgate.dashboard.Dashboard;
import dev.batchgate.demo.DemoDownstream;
import dev.batchgate.facade.coolify.CoolifyRestApi;
import dev.batchgate.facade.coolify.CoolifySettings;
import dev.batchgate.facade.coolify.CoolifyTools;
import dev.batchgate.facade.instances.InstancesFacade;
import dev.batchgate.facade.llm.LlmFacade;
import dev.batchgate.facade.remediation.DeviceRemediation;
import dev.batchgate.facade.remediation.RemediationFacade;
import dev.batchgate.facade.remediation.RemediationTarget;
import dev.batchgate.facade.remediation.config.RemediationEngine;
import dev.batchgate.http.BodyReadTimeout;
import dev.batchgate.http.HttpApi;
import dev.batchgate.http.MalformedRequests;
import dev.batchgate.mcp.McpHttpHandler;
import dev.batchgate.mcp.McpServer;
import dev.batchgate.observe.BatchMetrics;
import dev.batchgate.observe.JobStoreHealthCheck;
import dev.batchgate.observe.MetricsScrape;
import dev.batchgate.ratelimit.CircuitBreaker;
import dev.batchgate.security.ApiKeys;
import dev.batchgate.security.AuthHandler;
import dev.batchgate.security.CrossSiteGuard;
import dev.batchgate.security.SecretMasker;
import dev.batchgate.security.ServerExposure;
import dev.batchgate.service.BatchService;
import dev.batchgate.service.LiveBatch;
import dev.batchgate.store.JdbcJobStore;
import dev.batchgate.store.ResultWriter;
import dev.batchgate.store.Retention;
import dev.batchgate.target.TargetCaller;
import dev.batchgate.target.TargetConfigParser;
import dev.batchgate.target.TargetRegistry;
import dev.batchgate.trigger.file.FileDrops;
import dev.batchgate.trigger.file.InboxReader;
import dev.batchgate.trigger.schedule.ScheduleConfigParser;
import dev.batchgate.trigger.schedule.ScheduleRoutes;
import dev.batchgate.trigger.schedule.Schedules;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyConfiguration;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires batchgate's parts from the {@code batchgate.*} properties and mounts its HTTP API once Camel is up. */
public class BatchgateConfiguration implements CamelConfiguration {

    /** Where {@code batchgate.jar mcp} finds the MCP server to serve over stdio. */
    public static final String MCP_SERVER = "mcpServer";

    private static final Logger LOG = LoggerFactory.getLogger(BatchgateConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context.getPropertiesComponent());
        String port = settings.text("batchgate.port");
        String bind = settings.text("batchgate.bind");
        boolean serverEnabled = settings.bool("camel.server.enabled");
        refuseCamelServerKeys(settings, port, bind, serverEnabled);
        SecretMasker.registerFromProperties(settings.withPrefix("batchgate."));
        // one Vert.x for the HTTP server and the HTTP client: the platform-http server finds it in the registry.
        // Native epoll where there is one: fewer syscalls per call, and timers to the microsecond, not the ms.
        // Its HTTP servers answer requests their decoder cannot read with JSON errors too.
        Vertx vertx = MalformedRequests.answeredInJson(Vertx.vertx(new VertxOptions().setPreferNativeTransport(true)));
        LOG.info("Vert.x transport: {}", vertx.isNativeTransportEnabled() ? "native epoll" : "JDK NIO");
        context.getRegistry().bind("vertx", vertx);
        // Camel's timers per route, as camel.metrics.enableRoutePolicy would add them, but not for item-run:
        // its exchange per item paid a String.format per meter lookup on the event loop, and batchgate's own
        // meters count items and calls.
        MicrometerRoutePolicyFactory routeMetrics = new MicrometerRoutePolicyFactory();
        // a configuration of its own: the factory starts with Camel's shared default one
        MicrometerRoutePolicyConfiguration routeMetricsConfig = new MicrometerRoutePolicyConfiguration();
        routeMetricsConfig.setExcludePattern("item-run");
        routeMetrics.setPolicyConfiguration(routeMetricsConfig);
        context.addRoutePolicyFactory(routeMetrics);

        boolean clustered = settings.bool("batchgate.cluster.enabled");
        if (clustered && !settings.text("batchgate.db.url").startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException("batchgate.cluster.enabled=true needs a PostgreSQL job store "
                    + "(batchgate.db.url=jdbc:postgresql://...): the nodes of a cluster share it; H2 serves one node only");
        }
        JdbcJobStore store = new JdbcJobStore(settings.text("batchgate.db.url"), settings.text("batchgate.db.user"),
                settings.text("batchgate.db.password"), settings.duration("batchgate.db.connection-timeout"));
        ResultWriter writer = new ResultWriter(store, settings.integer("batchgate.store.max-unwritten-results"));
        TargetRegistry targets = new TargetRegistry(TargetConfigParser.parse(settings.withPrefix(TargetConfigParser.PREFIX)));
        targets.register(RemediationTarget.config(
                settings.integerOr("batchgate.remediation.concurrency", RemediationTarget::defaultConcurrency),
                settings.duration("batchgate.remediation.timeout")));
        targets.useCircuitBreakers(circuitBreakerSettings(settings));
        // a node serving MCP over stdio (no server) joins no cluster
        boolean joining = clustered && serverEnabled;
        if (joining) {
            targets.shareRates(store.sharedRate());
            targets.shareSlots(store.sharedSlots());
            targets.shareTunings(store.sharedTunings());
        }
        Retention retention = new Retention(store, settings.duration("batchgate.retention"),
                settings.duration("batchgate.retention-interval"));
        TargetCaller caller = new TargetCaller(vertx, context);
        EngineSettings engineSettings = new EngineSettings(settings.integer("batchgate.max-items"),
                settings.integer("batchgate.inline-results-max"), settings.duration("batchgate.sync-timeout"),
                settings.integer("batchgate.breaker.min-finished"), joining);
        BatchEngine engine = new BatchEngine(store, targets, engineSettings);
        BatchService batches = new BatchService(engine, store, targets, engineSettings, writer, Clock.systemUTC());
        ClusterNode node = clusterNode(settings, store, engineSettings.clustered(),
                () -> engine.liveRuns().stream().mapToInt(run -> run.count(ItemStatus.RUNNING)).sum());
        if (node.clustered()) {
            store.runAs(node.id());
            engine.setClaimsHeld(node::claimsHeld);
        }

        ItemRunner itemRunner = new ItemRunner(caller);
        CoolifyTools coolify = new CoolifyTools(vertx, batches, itemRunner, CoolifySettings.from(settings));
        McpServer mcpServer = new McpServer(version(), coolify.mcpTools());
        boolean inboxEnabled = settings.bool("batchgate.inbox.enabled");
        long maxBody = settings.bytes("batchgate.max-body");
        FileDrops fileDrops = new FileDrops(batches, store.fileDrops(),
                new BatchRequestParser(targets, Integer.MAX_VALUE), Path.of(settings.text("batchgate.inbox")),
                Path.of(settings.text("batchgate.outbox")), settings.integer("batchgate.inbox.chunk-items"), maxBody);
        Schedules schedules = new Schedules(batches, store.scheduleFirings(),
                ScheduleConfigParser.parse(settings.withPrefix(ScheduleConfigParser.PREFIX)), engineSettings.clustered());

        context.getRegistry().bind("batchEngine", engine);
        context.getRegistry().bind("jobStore", store);
        context.getRegistry().bind(MCP_SERVER, mcpServer);
        context.getRegistry().bind("batchFlow", new BatchFlow(store, writer));
        context.getRegistry().bind("fileDrops", fileDrops);
        context.getRegistry().bind("schedules", schedules);
        LlmFacade llm = LlmFacade.install(settings, vertx, batches, targets, store.llmUsage(), itemRunner, caller);
        ExecutorService items = itemExecutor();
        context.getRegistry().bind("itemExecutor", items);
        context.getRegistry().bind("splitExecutor", new CallerRunsExecutor());
        ItemSteps itemSteps = new ItemSteps(itemRunner, writer, items);
        context.getRegistry().bind("itemCall", itemSteps.call());
        context.getRegistry().bind("itemSave", itemSteps.save());
        context.getRegistry().bind("itemFold", itemSteps.fold());
        ItemSlots itemSlots = new ItemSlots();
        context.getRegistry().bind("itemSlots", itemSlots);
        context.getRegistry().bind("itemSlotAwait", itemSlots.await());
        context.getRegistry().bind("itemSlotRelease", itemSlots.release());
        context.getRegistry().bind("deviceRemediation", new DeviceRemediation(RemediationEngine.withBundledPlatforms()));
        context.addLifecycleStrategy(new GracefulShutdown(engine, caller::close,
                settings.duration("batchgate.shutdown-timeout")));

        context.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                if (!mounted.compareAndSet(false, true)) {
                    return;
                }
                BatchMetrics metrics = new BatchMetrics(meterRegistry(ctx), engine,
                        node.clustered() ? Tags.of("node", node.id()) : Tags.empty());
                itemRunner.observeCalls(metrics);
                BatchLauncher launcher = new BatchLauncher(ctx);
                engine.setLauncher(run -> {
                    metrics.watch(run);
                    fileDrops.watch(new LiveBatch(run));
                    launcher.accept(run);
                });
                if (!serverEnabled) {
                    // `batchgate.jar mcp`: MCP over stdio only, next to a server that owns (and resumes) its batches
                    LOG.info("batchgate ready without an HTTP server ({} targets)", targets.all().size());
                    return;
                }
                VertxPlatformHttpRouter router = serverRouter(ctx, Integer.parseInt(port));
                // ahead of every route, Camel's own included: a slow body is cut off, a call without a key or from another site refused
                BodyReadTimeout.mountFirst(router, vertx, settings.duration("batchgate.request-read-timeout"));
                ApiKeys apiKeys = ApiKeys.parse(settings.text("batchgate.api-keys"));
                new AuthHandler(apiKeys, settings.duration("batchgate.session-lifetime")).mountFirst(router);
                ServerExposure.log(bind, apiKeys);
                HttpApi.refuseControlCharactersInUrls(router);
                CrossSiteGuard.parse(settings.text("batchgate.allowed-origins")).mountFirst(router);
                HttpApi.jsonNotFound(router);
                if (router.getServer().getServer().requestHandler() instanceof Router root) {
                    HttpApi.jsonNotFoundAtTheRoot(root);
                }
                String metricsPath = settings.text("camel.metrics.path");
                if (meterRegistry(ctx) instanceof PrometheusMeterRegistry prometheus
                        && router.getRoutes().stream().anyMatch(route -> metricsPath.equals(route.getPath()))) {
                    MetricsScrape.mountAhead(router, metricsPath, prometheus);
                }
                HttpApi.limitBodies(router, maxBody, "/v1/*", "/api/*", "/mcp");
                new BatchesApi(vertx, batches, new BatchRequestParser(targets, engineSettings.maxItems())).mount(router);
                new TargetsApi(vertx, targets).mount(router);
                new SchedulesApi(vertx, schedules, name -> ScheduleRoutes.nextFiring(ctx, name)).mount(router);
                new ClusterApi(vertx, node).mount(router);
                Dashboard.mount(router);
                OpenApiDocument.mount(router);
                new InstancesFacade(vertx, batches, settings.text("batchgate.instances.target"),
                        settings.duration("batchgate.instances.sync-timeout")).mount(router);
                llm.mount(router);
                new CoolifyRestApi(coolify).mount(router);
                McpHttpHandler.mount(router, mcpServer);
                new RemediationFacade(vertx, batches).mount(router);
                if (settings.bool("batchgate.demo.enabled")) {
                    new DemoDownstream(vertx, settings.duration("batchgate.demo.latency"), settings.integer("batchgate.demo.rpm"))
                            .mount(router);
                }
                HealthCheckRegistry.get(ctx).register(new JobStoreHealthCheck(store));
                targets.applySharedTunings();
                int resumed = engine.resumeUnfinished();
                InboxReader inbox = new InboxReader(fileDrops, node, ctx);
                Runnable readInbox = inboxEnabled ? inbox::check : () -> {
                };
                node.startDuties(() -> {
                    targets.applySharedTunings();
                    targets.rebalanceSlots();
                    readInbox.run();
                    engine.resumeUnfinished();
                    engine.applyCancelRequests();
                }, () -> {
                    engine.pauseAllClaimsLost();
                    inbox.lost();
                });
                readInbox.run();
                if (settings.bool(ScheduleConfigParser.ENABLED)) {
                    ScheduleRoutes.add(ctx, schedules.all(), engineSettings.clustered());
                }
                LOG.info("batchgate ready on http://{}:{} ({} targets{})", bind, port, targets.all().size(),
                        resumed > 0 ? ", " + resumed + " batches resumed" : "");
            }
        });
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                engine.stopAllForShutdown();
                llm.close();
                retention.close();
                node.close();
                writer.close();
                caller.close();
                store.close();
                vertx.close();
            }
        });
    }

    /** The registry Camel scrapes at /observe/metrics, so that batchgate's meters sit next to Camel's. */
    private static MeterRegistry meterRegistry(CamelContext ctx) {
        MeterRegistry registry = MicrometerUtils.getMeterRegistryFromCamelRegistry(ctx.getRegistry(),
                MicrometerConstants.METRICS_REGISTRY_NAME);
        return registry != null ? registry : new SimpleMeterRegistry();
    }

    private static String version() {
        String version = BatchgateConfiguration.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }

    /** {@code batchgate.circuit-breaker.*} defaults, overridden per target by {@code batchgate.targets.<t>.circuit-breaker.*}. */
    private static Function<String, CircuitBreaker.Settings> circuitBreakerSettings(Settings settings) {
        int failures = settings.integer("batchgate.circuit-breaker.failures");
        Duration coolDown = settings.duration("batchgate.circuit-breaker.cool-down");
        return name -> new CircuitBreaker.Settings(
                settings.integer(TargetConfigParser.PREFIX + name + ".circuit-breaker.failures", failures),
                settings.duration(TargetConfigParser.PREFIX + name + ".circuit-breaker.cool-down", coolDown));
    }

    /** The router of the platform-http server, registered under a name that carries the port unless it is 8080. */
    private static VertxPlatformHttpRouter serverRouter(CamelContext ctx, int port) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(ctx, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        return router != null ? router : VertxPlatformHttpRouter.lookup(ctx);
    }

    /** This node: in the cluster on the job store's database, or on its own; named and addressed by the properties or its host. */
    private static ClusterNode clusterNode(Settings settings, JdbcJobStore store, boolean joining, IntSupplier inFlight) {
        String host = hostName();
        String id = settings.text("batchgate.cluster.node-id");
        if (id.isEmpty()) {
            id = host + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 40);
        }
        String address = settings.text("batchgate.cluster.address");
        if (address.isEmpty()) {
            String bind = settings.text("batchgate.bind");
            address = "http://" + (bind.equals("0.0.0.0") ? host : bind) + ":" + settings.text("batchgate.port");
        }
        return joining ? ClusterNode.joining(store.cluster(), id, address, inFlight, settings.duration("batchgate.cluster.heartbeat"),
                settings.duration("batchgate.cluster.dead-after")) : ClusterNode.single(id, address, inFlight);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /**
     * The API, the dashboard, health and metrics share one server at batchgate.bind:batchgate.port. Camel's
     * own keys for its servers would move only a part (health and metrics, or an empty server without the
     * API) or bind elsewhere than the exposure check was told: refused, naming the key to set instead.
     */
    private static void refuseCamelServerKeys(Settings settings, String port, String bind, boolean serverEnabled) {
        if (serverEnabled) {
            requireSame("camel.server.port", settings.text("camel.server.port"), "batchgate.port", port);
            requireSame("camel.server.host", settings.text("camel.server.host"), "batchgate.bind", bind);
        }
        if (settings.bool("camel.management.enabled")) {
            requireSame("camel.management.port", settings.text("camel.management.port"), "batchgate.port", port);
            requireSame("camel.management.host", settings.text("camel.management.host"), "batchgate.bind", bind);
        }
    }

    private static void requireSame(String camelKey, String camelValue, String batchgateKey, String batchgateValue) {
        if (!camelValue.equals(batchgateValue)) {
            throw new IllegalStateException(camelKey + "=" + camelValue + " but " + batchgateKey + "=" + batchgateValue
                    + ": batchgate serves its API, health and metrics on one server; set " + batchgateKey + " instead");
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean mounted = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Threads for items that wait (retries, checks, awaits, procedures, a full result queue; a plain
     * call in flight holds none) and for each batch once a phase is done. Unbounded on purpose: each
     * batch bounds its own items in flight before it hands one out. Virtual threads where the JVM has
     * them (21+).
     */
    static ExecutorService itemExecutor() {
        if (Runtime.version().feature() >= 21) {
            try {
                return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
            } catch (ReflectiveOperationException e) {
                LOG.warn("virtual threads unavailable, using platform threads: {}", e.toString());
            }
        }
        return Executors.newCachedThreadPool(DaemonThreads.numbered("item-"));
    }
}
