package dev.ocmirror.orchestrator.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/** The audit record as a CSV timeline and as a printable page. */
final class AuditDocuments {

  private static final String HEADER = "time,kind,actor,process,activity,what,outcome,values\r\n";
  // Every value quoted, so that a reader sees at once which cells the record filled.
  private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.ALL_NON_NULL).get();
  private static final TemplateEngine PAGES = pages();

  private AuditDocuments() {
  }

  static String csv(AuditRecord record) {
    StringBuilder csv = new StringBuilder(HEADER);
    try (CSVPrinter printer = new CSVPrinter(csv, CSV)) {
      for (AuditRecord.Event event : record.timeline()) {
        printer.printRecord(cell(event.at()), cell(event.kind()), cell(event.actor()), cell(event.process()),
            cell(event.activity()), cell(event.what()), cell(event.outcome()), cell(values(event.values())));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return csv.toString();
  }

  private static String values(Map<String, String> values) {
    return values.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue()).collect(Collectors.joining("; "));
  }

  /** A leading quote for text a spreadsheet would run as a formula (OWASP's list of leading characters). */
  private static String cell(Object value) {
    if (value == null) {
      return null;
    }
    String text = value.toString();
    return !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
  }

  static String html(AuditRecord record, AuditSeals.Seal seal) {
    Context page = new Context();
    page.setVariable("lifecycle", record.lifecycle());
    page.setVariable("generation", record.generation());
    page.setVariable("deliveries", record.deliveries());
    page.setVariable("clusterResources", record.clusterResources());
    page.setVariable("timeline", record.timeline());
    page.setVariable("seal", seal);
    page.setVariable("valuesOf", (Function<Map<String, String>, String>) AuditDocuments::values);
    return PAGES.process("audit-report", page);
  }

  /** The service's HTML pages, escaped by the engine wherever a value is written. */
  private static TemplateEngine pages() {
    ClassLoaderTemplateResolver templates = new ClassLoaderTemplateResolver();
    templates.setPrefix("templates/");
    templates.setSuffix(".html");
    templates.setTemplateMode(TemplateMode.HTML);
    templates.setCharacterEncoding("UTF-8");
    // Spring's dialect (SpEL), as for the service's other pages; the standard one would need OGNL.
    TemplateEngine engine = new org.thymeleaf.spring6.SpringTemplateEngine();
    engine.setTemplateResolver(templates);
    return engine;
  }
}
