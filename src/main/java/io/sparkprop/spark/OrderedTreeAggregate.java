package io.sparkprop.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

/**
 * A tree aggregation that merges partial results in a fixed order.
 *
 * <p>Spark's {@code treeAggregate} shapes the same tree, but merges partial results in the order
 * tasks finish and shuffle blocks arrive; floating-point addition is not associative, so the sum
 * (and hence training) would differ from run to run in the last bits. Here every partial result
 * carries its position, each merge sorts its inputs by position first, and the driver merges the
 * last level in partition order: the same data and partitioning give the same bits.
 *
 * <p>The tree has the shape of Spark's: with p partitions and depth d, each level combines
 * {@code scale = max(⌈p^(1/d)⌉, 2)} results into one while that saves work, then the driver
 * merges the rest.
 */
public final class OrderedTreeAggregate {
    private OrderedTreeAggregate() {
    }

    /**
     * Merges the single partial result each partition of {@code partials} holds.
     *
     * @param merge combines two results, may modify and return its first argument
     * @param depth levels of the tree, at least 1 (1 = every partial goes straight to the driver)
     */
    public static <T> T aggregate(JavaRDD<T> partials, Function2<T, T, T> merge, int depth) throws Exception {
        JavaPairRDD<Integer, T> level = partials
                .mapPartitionsWithIndex((index, it) -> single(index, it), true)
                .mapToPair(t -> t);
        for (int groups : levels(partials.getNumPartitions(), depth)) {
            level = level
                    .mapToPair(t -> new Tuple2<>(t._1() % groups, t))
                    .partitionBy(new HashPartitioner(groups))
                    .mapPartitionsWithIndex((index, it) -> mergeGroup(index, it, merge), true)
                    .mapToPair(t -> t);
        }
        List<Tuple2<Integer, T>> last = new ArrayList<>(level.collect());
        return mergeInOrder(last, merge);
    }

    /**
     * Merges {@code partials} (partition i's result at index i) in exactly the order
     * {@link #aggregate} merges them, here in one JVM: what barrier tasks do with the partial
     * results they gathered, so that they get the bits the driver would.
     */
    public static <T> T aggregateLocally(List<T> partials, Function2<T, T, T> merge, int depth) throws Exception {
        List<Tuple2<Integer, T>> level = new ArrayList<>();
        for (int i = 0; i < partials.size(); i++) {
            level.add(new Tuple2<>(i, partials.get(i)));
        }
        for (int groups : levels(partials.size(), depth)) {
            List<List<Tuple2<Integer, T>>> members = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                members.add(new ArrayList<>());
            }
            for (Tuple2<Integer, T> t : level) {
                members.get(t._1() % groups).add(t);
            }
            level = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                if (!members.get(g).isEmpty()) {
                    level.add(new Tuple2<>(g, mergeInOrder(members.get(g), merge)));
                }
            }
        }
        return mergeInOrder(level, merge);
    }

    /**
     * The number of groups at each level of the tree over {@code partitions} results: each level
     * combines {@code scale} results into one while that saves the driver work.
     */
    private static List<Integer> levels(int partitions, int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("aggregation depth must be at least 1, got " + depth);
        }
        List<Integer> levels = new ArrayList<>();
        int scale = Math.max((int) Math.ceil(Math.pow(partitions, 1.0 / depth)), 2);
        while (partitions > scale + (int) Math.ceil((double) partitions / scale)) {
            partitions /= scale;
            levels.add(partitions);
        }
        return levels;
    }

    private static <T> Iterator<Tuple2<Integer, T>> single(int index, Iterator<T> it) {
        if (!it.hasNext()) {
            throw new IllegalStateException("partition " + index + " holds no partial result");
        }
        T value = it.next();
        if (it.hasNext()) {
            throw new IllegalStateException("partition " + index + " holds more than one partial result");
        }
        return Collections.singletonList(new Tuple2<>(index, value)).iterator();
    }

    private static <T> Iterator<Tuple2<Integer, T>> mergeGroup(
            int index, Iterator<Tuple2<Integer, Tuple2<Integer, T>>> it, Function2<T, T, T> merge) throws Exception {
        List<Tuple2<Integer, T>> members = new ArrayList<>();
        it.forEachRemaining(t -> members.add(t._2()));
        if (members.isEmpty()) {
            return Collections.emptyIterator();
        }
        return Collections.singletonList(new Tuple2<>(index, mergeInOrder(members, merge))).iterator();
    }

    private static <T> T mergeInOrder(List<Tuple2<Integer, T>> members, Function2<T, T, T> merge) throws Exception {
        members.sort(Comparator.comparing(Tuple2::_1));
        T result = members.get(0)._2();
        for (int i = 1; i < members.size(); i++) {
            result = merge.call(result, members.get(i)._2());
        }
        return result;
    }
}
