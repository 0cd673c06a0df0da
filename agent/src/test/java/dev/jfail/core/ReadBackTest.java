package dev.jfail.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every read-back example of FAILPOINT-SYNTAX.md and of FreeBSD's fail(9) man page, as stored and read back. */
class ReadBackTest {

    @ParameterizedTest(name = "{0} reads back as {1}")
    @CsvSource(delimiter = '|', textBlock = """
            150%return          | return
            0.00005%return      | 0.0001%return
            0.00004%return      | off
            12.34567%return     | 12.3457%return
            return(0x10)        | return(16)
            return(0)           | return
            off->return(5)      | off
            pause->return(5)    | pause
            1.2%2%return        | 2%return
            50%sleep(10)        | 50%sleep(10)
            20%return(1)        | 20%return(1)
            5*return(22)->off   | 5*return(22)
            return(010)         | return(8)
            return(-0x10)       | return(-16)
            return(-5)          | return(-5)
            return(0X1f)        | return(31)
            .5%yield            | 0.5%yield
            100%panic           | panic
            99.99995%panic      | panic
            99.99994%panic      | 99.9999%panic
            panic(java.io.IOException) | panic(java.io.IOException)
            1*off->1*panic(a.B$C) | 1*off->1*panic(a.B$C)
            panic(1)            | panic(1)
            0%return->yield     | yield
            3*5*delay(100)      | 5*delay(100)
            5*50%2*print(1)     | 50%2*print(1)
            return[pid 12]      | return[pid 12]
            return(1)[pid 0x10] | return(1)[pid 16]
            5*off->return(1)    | 5*off->return(1)
            1*pause->off        | 1*pause
            break               | break
            print->yield        | print->yield
            '  sleep(5)  '      | sleep(5)
            return(9223372036854775807) | return(9223372036854775807)
            return(-9223372036854775808) | return(-9223372036854775808)
            2.1%return(5)                | 2.1%return(5)
            2%return(5)->5%return(22)    | 2%return(5)->5%return(22)
            5*return(5)->0.1%return(22)  | 5*return(5)->0.1%return(22)
            0.1%5*return(5)              | 0.1%5*return(5)
            5*0.1%return(5)              | 0.1%5*return(5)
            1*return(5)[pid 1234]        | 1*return(5)[pid 1234]
            2%5*return                   | 2%5*return
            sleep(0)                     | sleep
            0.0000%return                | off
            .00015%return                | 0.0002%return
            1000000000000000000000%yield | yield
            100.00001%yield              | yield
            0.01%return                  | 0.01%return
            1*off                        | 1*off
            off                          | off
            yield->off->return           | yield
            delay(-1)                    | delay(-1)
            return(0x7fffffffffffffff)   | return(9223372036854775807)
            return(00)                   | return
            2147483647*yield             | 2147483647*yield
            """)
    void readBack(String setting, String expected) {
        FailPointRegistry registry = new FailPointRegistry(1);
        registry.set("p", setting);
        assertEquals(expected, registry.get("p"));
    }
}
