package io.xcomdb.testing;

import io.xcomdb.demo.AirflowSchemaFixture;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test once per server and schema fixture, each time with an {@link AirflowDb} parameter holding a fresh
 * database. Servers that cannot be found are skipped loudly (see {@link TestServers}).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(AirflowDbExtension.class)
public @interface AirflowDbTest {

  TestServer[] servers() default {TestServer.POSTGRESQL, TestServer.MYSQL, TestServer.MARIADB};

  AirflowSchemaFixture[] fixtures() default {AirflowSchemaFixture.AIRFLOW_2_10, AirflowSchemaFixture.AIRFLOW_3_1};

  /** False: the database is created empty, for tests that build their own tables. */
  boolean createSchema() default true;
}
