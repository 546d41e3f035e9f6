package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * The merge order is the whole point of the ordered tree: a merge that writes down its own
 * bracketing shows it exactly, and the in-JVM merge of barrier steps must bracket as Spark's tree.
 */
class OrderedTreeAggregateTest {
    private static String bracket(String a, String b) {
        return "(" + a + "+" + b + ")";
    }

    @Test
    void mergingLocallyBracketsExactlyAsTheDistributedTree() throws Exception {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext());
        for (int partitions : new int[] {1, 2, 3, 5, 9, 17, 40}) {
            List<String> leaves = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                leaves.add("p" + p);
            }
            JavaRDD<String> rdd = sc.parallelize(leaves, partitions);
            for (int depth = 1; depth <= 4; depth++) {
                String distributed = OrderedTreeAggregate.aggregate(rdd, OrderedTreeAggregateTest::bracket, depth);
                String local = OrderedTreeAggregate.aggregateLocally(leaves, OrderedTreeAggregateTest::bracket, depth);
                assertEquals(distributed, local, partitions + " partitions, depth " + depth);
            }
        }
        // A tree, not a chain, where it saves the driver work: 9 partitions at depth 2 merge in 3 groups.
        assertEquals("((((p0+p3)+p6)+((p1+p4)+p7))+((p2+p5)+p8))", OrderedTreeAggregate.aggregateLocally(
                List.of("p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"), OrderedTreeAggregateTest::bracket, 2));
    }
}
