package io.sparkprop.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where a model was trained, recorded in {@code metadata.json} under {@code environment}: enough
 * to tell two runs' timings apart (a model written before this was recorded has none).
 *
 * @param sparkprop sparkprop's version
 * @param spark Spark's version
 * @param java the driver's Java version
 * @param master Spark's master URL, e.g. {@code local[4]} or {@code spark://host:7077}
 * @param executors executors when training started (1 in local mode: the driver)
 * @param taskSlots Spark's default parallelism: the tasks that run at once
 * @param blas the BLAS implementation the driver uses, e.g. {@code VectorBLAS} or {@code JNIBLAS}
 */
public record RunEnvironment(String sparkprop, String spark, String java, String master, int executors,
                             int taskSlots, String blas) {

    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("sparkprop", sparkprop);
        node.put("spark", spark);
        node.put("java", java);
        node.put("master", master);
        node.put("executors", executors);
        node.put("taskSlots", taskSlots);
        node.put("blas", blas);
        return node;
    }

    static RunEnvironment fromJson(JsonNode node, String where) {
        JsonFields f = new JsonFields(where);
        return new RunEnvironment(f.text(node, "sparkprop", "unknown"), f.text(node, "spark", "unknown"),
                f.text(node, "java", "unknown"), f.text(node, "master", "unknown"),
                (int) f.integer(node, "executors", 0), (int) f.integer(node, "taskSlots", 0),
                f.text(node, "blas", "unknown"));
    }
}
