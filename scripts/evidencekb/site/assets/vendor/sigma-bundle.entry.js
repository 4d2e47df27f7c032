// Entry for the explorer's vendored bundle (see README.md): only what graph.js uses.
import Sigma from "sigma";
import { EdgeArrowProgram, EdgeRectangleProgram, EdgeTriangleProgram } from "sigma/rendering";
import { MultiDirectedGraph } from "graphology";
Sigma.rendering = { EdgeArrowProgram, EdgeRectangleProgram, EdgeTriangleProgram };
window.Sigma = Sigma;
window.graphology = { MultiDirectedGraph: MultiDirectedGraph };
