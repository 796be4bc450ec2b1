package dev.savepoints.app.logging;

import dev.savepoints.command.api.JobId;
import dev.savepoints.flink.LogContext;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Puts the job, trigger and Flink job ids of the command or event being handled into the logging context, so
 * that every line logged while handling it (aggregate, sagas, projections, status writer) carries them.
 * The messages are records of the api package; the ids are read from their components of those names.
 */
public class MessageLogContext implements MessageHandlerInterceptor<Message<?>> {

    private static final ClassValue<Ids> IDS = new ClassValue<>() {
        @Override
        protected Ids computeValue(Class<?> type) {
            return Ids.of(type);
        }
    };

    @Override
    public Object handle(UnitOfWork<? extends Message<?>> unitOfWork, InterceptorChain chain) throws Exception {
        Object payload = unitOfWork.getMessage().getPayload();
        if (payload == null) {
            return chain.proceed();
        }
        Ids ids = IDS.get(payload.getClass());
        try (LogContext ignored = LogContext.of((JobId) ids.read(ids.job, payload), (String) ids.read(ids.trigger, payload),
                (String) ids.read(ids.flinkJob, payload))) {
            return chain.proceed();
        }
    }

    private record Ids(Method job, Method trigger, Method flinkJob) {

        static Ids of(Class<?> type) {
            Method job = null;
            Method trigger = null;
            Method flinkJob = null;
            if (type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    Method accessor = component.getAccessor();
                    switch (component.getName()) {
                        case "jobId" -> job = component.getType() == JobId.class ? accessor : null;
                        case "triggerId" -> trigger = component.getType() == String.class ? accessor : null;
                        case "flinkJobId" -> flinkJob = component.getType() == String.class ? accessor : null;
                        default -> { }
                    }
                }
            }
            return new Ids(job, trigger, flinkJob);
        }

        Object read(Method accessor, Object payload) {
            if (accessor == null) {
                return null;
            }
            try {
                return accessor.invoke(payload);
            } catch (ReflectiveOperationException e) {
                return null; // a log context is not worth failing the message for
            }
        }
    }
}
