package io.sparkprop.spark;

import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import scala.collection.Iterator;
import scala.collection.immutable.Seq;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Its parent's partitions, each preferring the executor it is assigned to: the RDD that, cached,
 * puts every partition where {@link BlockPlacement} wants it (Spark runs a task where its
 * partition prefers, if that executor is free within {@code spark.locality.wait}).
 *
 * @param <T> the element type
 */
final class PlacedRDD<T> extends RDD<T> {
    private static final long serialVersionUID = 1L;

    private final String[] locations;
    private final ClassTag<T> tag;

    /**
     * @param locations per partition, Spark's location of an executor ({@code executor_HOST_ID}),
     *     or null for no preference
     */
    PlacedRDD(RDD<T> parent, Class<T> type, String[] locations) {
        super(parent, ClassTag$.MODULE$.apply(type));
        this.tag = ClassTag$.MODULE$.apply(type);
        this.locations = locations.clone();
    }

    @Override
    public Iterator<T> compute(Partition split, TaskContext context) {
        return firstParent(tag).iterator(split, context);
    }

    @Override
    public Partition[] getPartitions() {
        return firstParent(tag).partitions();
    }

    @Override
    public Seq<String> getPreferredLocations(Partition split) {
        String location = locations[split.index()];
        return location == null ? scala.collection.immutable.List$.MODULE$.empty()
                : scala.collection.immutable.List$.MODULE$.from(
                        scala.jdk.javaapi.CollectionConverters.asScala(java.util.List.of(location)));
    }
}
