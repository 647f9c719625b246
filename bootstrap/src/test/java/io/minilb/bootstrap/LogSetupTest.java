package io.minilb.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minilb.application.generation.RequestContext;
import io.minilb.application.generation.RequestLogging;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogSetupTest {

    @Test
    void jsonLinesParseAndCarryTheRequestIdAndTheMessage() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        var out = new ByteArrayOutputStream();
        var appender = new OutputStreamAppender<ILoggingEvent>();
        appender.setContext(context);
        appender.setEncoder(LogSetup.jsonEncoder(context));
        appender.setOutputStream(out);
        appender.start();
        Logger logger = context.getLogger("io.minilb.test.json");
        logger.setAdditive(false);
        logger.addAppender(appender);
        try {
            RequestLogging.run(new RequestContext("req-\"quoted\"", List.of()),
                    () -> logger.info("status={} line\nbreak", 200));
            logger.warn("outside any request");
        } finally {
            logger.detachAppender(appender);
            appender.stop();
        }

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.path("mdc").path(RequestLogging.REQUEST_ID_KEY).asText()).isEqualTo("req-\"quoted\"");
        assertThat(first.path("formattedMessage").asText()).isEqualTo("status=200 line\nbreak");
        assertThat(first.path("level").asText()).isEqualTo("INFO");
        assertThat(first.path("loggerName").asText()).isEqualTo("io.minilb.test.json");
        JsonNode second = new ObjectMapper().readTree(lines.get(1));
        assertThat(second.path("mdc").path(RequestLogging.REQUEST_ID_KEY).isMissingNode()).isTrue();
    }
}
