"""The TF.js Layers interpreter: a model.json topology + its weights in, a torch module out.

Three steps, and only the last one touches weights or torch:

1. ``plan_model(topology)``: flatten the (possibly nested) topology, check every layer and work
   out every tensor's shape (``ModelPlan``). A bad file is refused here, having read nothing else.
2. ``plan_weights`` / ``read_weights`` (``_weights_manifest``): check the manifest against what the
   plan needs, then read the float32 bytes.
3. ``build_model(plan, weights)``: a plain ``nn.Sequential`` when the layers form a chain (so a
   Dense model can be trained and saved again), else a ``Graph`` that follows the wiring.

The module takes channels-last input, like TF.js: a picture batch is (N, 224, 224, 3).

Example:
    >>> topology = {"class_name": "Sequential", "config": {"layers": [
    ...     {"class_name": "Dense", "config": {"name": "d", "units": 2, "batch_input_shape": [None, 3]}}]}}
    >>> plan = plan_model(topology)
    >>> plan.input_shape, plan.output_shape, sorted(plan.wanted())
    ((3,), (2,), ['d/bias', 'd/kernel'])
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import nn

from . import _tfjs_modules as tm
from ._tfjs_layers import LayerPlan, input_shape, plan_layer
from ._tfjs_topology import Graph, flatten_topology
from ._weights_manifest import plan_weights, read_weights


@dataclass
class ModelPlan:
    """A checked model: its flat graph, one ``LayerPlan`` per layer, and its input and output shapes."""

    graph: Graph
    plans: list  # aligned with graph.nodes; None for the input
    input_shape: tuple
    output_shape: tuple

    def wanted(self) -> dict:
        """Manifest weight name -> (layer name, kind, shape), e.g. "Conv1/kernel" -> ("Conv1", "kernel", (3, 3, 3, 16))."""
        return {f"{node.name}/{kind}": (node.name, kind, shape)
                for node, plan in zip(self.graph.nodes, self.plans) if plan for kind, shape in plan.weights.items()}


def plan_model(topology) -> ModelPlan:
    """Check a ``modelTopology`` layer by layer and work out every shape; builds nothing.

    Raises:
        ModelFileError: the first problem found, naming the layer.
    """
    graph = flatten_topology(topology)
    shapes, plans = {}, []
    for node in graph.nodes:
        if node.name == graph.input:
            shapes[node.name] = input_shape(node)
            plans.append(None)
            continue
        plan = plan_layer(node, [shapes[name] for name in node.inputs])
        shapes[node.name] = plan.shape
        plans.append(plan)
    return ModelPlan(graph, plans, shapes[graph.input], shapes[graph.output])


def build_model(plan: ModelPlan, arrays: dict) -> nn.Module:
    """The torch module for a checked plan; ``arrays`` maps (layer name, kind) to float32 arrays."""
    nodes = plan.graph.nodes
    modules = [layer.build({kind: arrays[(node.name, kind)] for kind in layer.weights})
               for node, layer in zip(nodes, plan.plans) if layer is not None]
    if _is_chain(plan.graph):
        flat = []
        for module in modules:
            flat += list(module) if type(module) is nn.Sequential else [module]
        return nn.Sequential(*flat).eval()
    position = {node.name: index for index, node in enumerate(nodes)}
    wiring = [[position[name] for name in node.inputs] for node in nodes[1:]]
    return tm.Graph(modules, wiring, position[plan.graph.output]).eval()


def _is_chain(graph: Graph) -> bool:
    """True when each layer reads only the layer before it and the last layer is the output."""
    nodes = graph.nodes
    return nodes[-1].name == graph.output and all(
        node.inputs == [before.name] for before, node in zip(nodes, nodes[1:]))


def load_layers_model(document: dict, folder, topology=None, *, skip_unused: bool = False):
    """Plan, check the weights manifest, read the weights and build: ``(module, plan)``.

    ``topology`` replaces ``document["modelTopology"]`` (for weights-only files like MobileNet v1's,
    or a part of a bigger model); with ``skip_unused`` the weights of the rest are read past.
    """
    plan = plan_model(document.get("modelTopology") if topology is None else topology)
    groups = plan_weights(document.get("weightsManifest"), folder, plan.wanted(), skip_unused=skip_unused)
    return build_model(plan, read_weights(groups)), plan


__all__ = ["LayerPlan", "ModelPlan", "plan_model", "build_model", "load_layers_model"]
