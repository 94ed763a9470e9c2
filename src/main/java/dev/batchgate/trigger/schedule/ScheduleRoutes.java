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

    public static void add(CamelContext context, Collection<ScheduleConfig> schedules) {
        for (ScheduleConfig schedule : schedules) {
            TemplatedRouteBuilder route = TemplatedRouteBuilder
                    .builder(context, schedule.cron() != null ? "schedule-cron" : "schedule-every")
                    .routeId("schedule-" + schedule.name())
                    .parameter("name", schedule.name());
            if (schedule.cron() != null) {
                route.parameter("cron", schedule.cron()).parameter("timezone", schedule.timezone().getId());
            } else {
                route.parameter("intervalMs", Long.toString(schedule.every().toMillis()));
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
