package dev.ocmirror.orchestrator.process;

import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Component;

/** The generations a transfer carries, in the order they are imported ({@code ${importOrder.of(carryGenerations)}}). */
@Component("importOrder")
public class ImportOrder {

  public List<Integer> of(String carried) {
    return Arrays.stream(carried.split(",")).map(String::trim).map(Integer::valueOf).toList();
  }
}
