package dev.ocmirror.orchestrator.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.Event;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Gateway;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.bpmn.instance.dc.Bounds;
import org.camunda.bpm.model.bpmn.instance.di.Waypoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The diagrams are the readable truth of the lifecycle, so each is held to what a person needs to read it in Cockpit:
 * no shape or label on another, no flow through a shape it does not join or across another element's label. A label
 * without its own bounds is placed as bpmn-js places it (centred below, 90 wide, a line per 14 characters or so).
 */
class DiagramLayoutTest {

  record Box(String what, double x, double y, double width, double height) {

    boolean overlaps(Box other) {
      return x < other.x + other.width && other.x < x + width && y < other.y + other.height && other.y < y + height;
    }

    Box shrunk(double by) {
      return new Box(what, x + by, y + by, width - 2 * by, height - 2 * by);
    }

    /** Whether the segment from (x1, y1) to (x2, y2) passes through this box (Liang-Barsky clipping). */
    boolean crossedBy(double x1, double y1, double x2, double y2) {
      double enter = 0;
      double leave = 1;
      double dx = x2 - x1;
      double dy = y2 - y1;
      double[][] sides = {{-dx, x1 - x}, {dx, x + width - x1}, {-dy, y1 - y}, {dy, y + height - y1}};
      for (double[] side : sides) {
        if (side[0] == 0) {
          if (side[1] < 0) {
            return false;
          }
        } else {
          double t = side[1] / side[0];
          if (side[0] < 0) {
            enter = Math.max(enter, t);
          } else {
            leave = Math.min(leave, t);
          }
        }
      }
      return enter <= leave;
    }
  }

  static Stream<Path> models() throws IOException {
    return Files.list(Path.of("bpmn")).filter(path -> path.toString().endsWith(".bpmn")).sorted();
  }

  @ParameterizedTest
  @MethodSource("models")
  void noShapeOrLabelLiesOnAnotherAndNoFlowCrossesWhatItDoesNotJoin(Path file) {
    BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
    List<Box> shapes = new ArrayList<>();
    List<Box> labels = new ArrayList<>();
    for (BpmnShape shape : model.getModelElementsByType(BpmnShape.class)) {
      if (!(shape.getBpmnElement() instanceof FlowNode node) || node instanceof SubProcess) {
        continue;
      }
      Box box = box(node.getId(), shape.getBounds());
      shapes.add(box);
      if (shape.getBpmnLabel() != null && shape.getBpmnLabel().getBounds() != null) {
        labels.add(box(node.getId() + " (label)", shape.getBpmnLabel().getBounds()));
      } else if (node.getName() != null && (node instanceof Event || node instanceof Gateway)) {
        int lines = (int) Math.ceil(node.getName().length() * 6.5 / 90);
        labels.add(new Box(node.getId() + " (label)", box.x() + box.width() / 2 - 45, box.y() + box.height() + 5, 90,
            14 * Math.max(1, lines)));
      }
    }
    List<BpmnEdge> edges = model.getModelElementsByType(BpmnEdge.class).stream()
        .filter(edge -> edge.getBpmnElement() instanceof SequenceFlow).toList();
    for (BpmnEdge edge : edges) {
      if (edge.getBpmnLabel() != null && edge.getBpmnLabel().getBounds() != null) {
        labels.add(box(edge.getBpmnElement().getId() + " (label)", edge.getBpmnLabel().getBounds()));
      }
    }

    List<String> problems = new ArrayList<>();
    List<Box> all = new ArrayList<>(shapes);
    all.addAll(labels);
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < all.size(); j++) {
        Box a = all.get(i);
        Box b = all.get(j);
        if (!owner(a).equals(owner(b)) && !onItsHost(model, a, b) && a.overlaps(b)) {
          problems.add(a.what() + " lies on " + b.what());
        }
      }
    }
    for (BpmnEdge edge : edges) {
      SequenceFlow flow = (SequenceFlow) edge.getBpmnElement();
      List<Waypoint> points = new ArrayList<>(edge.getWaypoints());
      for (Box shape : shapes) {
        if (joins(model, flow, shape.what())) {
          continue;
        }
        if (crosses(points, shape.shrunk(3))) {
          problems.add("flow " + describe(flow) + " crosses " + shape.what());
        }
      }
      for (Box label : labels) {
        if (!owner(label).equals(flow.getId()) && crosses(points, label.shrunk(1))) {
          problems.add("flow " + describe(flow) + " crosses the label of " + owner(label));
        }
      }
    }
    assertThat(problems).as(file + " as Cockpit draws it").isEmpty();
  }

  private static Box box(String what, Bounds bounds) {
    return new Box(what, bounds.getX(), bounds.getY(), bounds.getWidth(), bounds.getHeight());
  }

  private static String owner(Box box) {
    return box.what().replace(" (label)", "");
  }

  /** A boundary event sits on the border of its activity by definition. */
  private static boolean onItsHost(BpmnModelInstance model, Box a, Box b) {
    if (a.what().endsWith("(label)") || b.what().endsWith("(label)")) {
      return false;
    }
    return hostOf(model, a.what()).equals(b.what()) || hostOf(model, b.what()).equals(a.what());
  }

  private static String hostOf(BpmnModelInstance model, String id) {
    return model.getModelElementById(id) instanceof BoundaryEvent boundary ? boundary.getAttachedTo().getId() : "";
  }

  /** The flow's own ends, and a boundary event on one of them (its flows leave from the host's border). */
  private static boolean joins(BpmnModelInstance model, SequenceFlow flow, String id) {
    String source = flow.getSource().getId();
    String target = flow.getTarget().getId();
    return id.equals(source) || id.equals(target) || hostOf(model, id).equals(source) || hostOf(model, id).equals(target)
        || hostOf(model, source).equals(id);
  }

  private static boolean crosses(List<Waypoint> points, Box box) {
    for (int k = 0; k + 1 < points.size(); k++) {
      if (box.crossedBy(points.get(k).getX(), points.get(k).getY(), points.get(k + 1).getX(), points.get(k + 1).getY())) {
        return true;
      }
    }
    return false;
  }

  private static String describe(FlowElement flow) {
    SequenceFlow sequence = (SequenceFlow) flow;
    return sequence.getSource().getId() + " -> " + sequence.getTarget().getId();
  }
}
