package netmap.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * The tests' Neo4j: a Community database in a fresh temporary folder, Bolt (no auth, no TLS)
 * on a free loopback port. Prints {@code NEO4J_HOME=<folder>} and {@code BOLT_PORT=<port>} on
 * stdout once the database answers, then runs until SIGTERM/SIGINT or until its standard input
 * closes (the test session that started it has gone), shuts the database down, prints
 * {@code STORE_BYTES=<size of the store files>} and deletes the folder.
 *
 * <p>Usage: {@code java -Xmx1g -jar target/neo4j-server.jar [port]} (0 or nothing: any free
 * port); the page cache is NETMAP_NEO4J_PAGECACHE_MB MiB (default 128).
 */
public final class Neo4jServer {
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        String pageCache = System.getenv("NETMAP_NEO4J_PAGECACHE_MB");
        long pageCacheMiB = pageCache == null || pageCache.isBlank() ? 128 : Long.parseLong(pageCache);
        Path home = Files.createTempDirectory("netmap-neo4j-");
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMiB))
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dbms.shutdown();
                // Written out whole at shutdown: the size the page cache needs to hold it all.
                System.out.println("STORE_BYTES=" + treeSize(home.resolve("data").resolve("databases")));
                System.out.flush();
            } finally {
                deleteTree(home);
                stopped.countDown();
            }
        }, "neo4j-server-shutdown"));

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        db.executeTransactionally("RETURN 1");
        int boltPort = ((GraphDatabaseAPI) db).getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT).getPort();
        System.out.println("NEO4J_HOME=" + home);
        System.out.println("BOLT_PORT=" + boltPort);
        System.out.flush();

        // Standard input closing means whoever started this has gone: stop too.
        Thread watcher = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() != -1) {
                    // ignore anything sent
                }
            } catch (IOException ignored) {
                // treated as closed
            }
            System.exit(0);
        }, "neo4j-server-stdin");
        watcher.setDaemon(true);
        watcher.start();
        stopped.await();
    }

    private static long treeSize(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder; the system cleans it eventually
        }
    }
}
