package dev.batchgate.trigger.schedule;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;

/**
 * Camel glue for schedules: one route per schedule from the templates of
 * {@code routes/trigger-schedules.camel.yaml}, and the next firing time as Quartz has it.
 */
public final class ScheduleRoutes {

    /** The Quartz group of the schedules' triggers, as in the templates' {@code quartz:} URIs. */
    static final String GROUP = "batchgate-schedules";

    private ScheduleRoutes() {
    }

    /** A route per schedule; in a cluster ({@code clustered}) an interval's first firing is at its next multiple since the epoch. */
    public static void add(CamelContext context, Collection<ScheduleConfig> schedules, boolean clustered) {
        for (ScheduleConfig schedule : schedules) {
            TemplatedRouteBuilder route = TemplatedRouteBuilder
                    .builder(context, schedule.cron() != null ? "schedule-cron" : "schedule-every")
                    .routeId("schedule-" + schedule.name())
                    .parameter("name", schedule.name());
            if (schedule.cron() != null) {
                route.parameter("cron", schedule.cron()).parameter("timezone", schedule.timezone().getId());
            } else {
                long interval = schedule.every().toMillis();
                long delay = interval;
                if (clustered) {
                    delay = interval - System.currentTimeMillis() % interval;
                    // as the cron template: no firing in the first second
                    delay += delay < 1000 ? interval : 0;
                }
                route.parameter("intervalMs", Long.toString(interval)).parameter("startDelayMs", Long.toString(delay));
            }
            route.add();
        }
    }

    public static Optional<Instant> nextFiring(CamelContext context, String name) {
        try {
            QuartzComponent quartz = context.getComponent("quartz", QuartzComponent.class);
            Trigger trigger = quartz.getScheduler().getTrigger(TriggerKey.triggerKey(name, GROUP));
            return trigger == null || trigger.getNextFireTime() == null ? Optional.empty()
                    : Optional.of(trigger.getNextFireTime().toInstant());
        } catch (SchedulerException e) {
            return Optional.empty();
        }
    }
}
