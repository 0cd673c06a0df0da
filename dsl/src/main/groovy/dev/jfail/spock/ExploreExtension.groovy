package dev.jfail.spock

import dev.jfail.spi.TestExploration
import groovy.transform.CompileStatic
import org.spockframework.mock.runtime.MockController
import org.spockframework.runtime.extension.IAnnotationDrivenExtension
import org.spockframework.runtime.extension.IMethodInterceptor
import org.spockframework.runtime.extension.IMethodInvocation
import org.spockframework.runtime.model.FeatureInfo
import spock.lang.Specification

/** {@link Explore}: the feature's method called again and again under the explorer's settings, instead of once. */
@CompileStatic
class ExploreExtension implements IAnnotationDrivenExtension<Explore> {

    @Override
    void visitFeatureAnnotation(Explore explore, FeatureInfo feature) {
        feature.featureMethod.addInterceptor(new ExploreFeature(explore, feature.name))
    }

    @CompileStatic
    static final class ExploreFeature implements IMethodInterceptor {
        private final Explore explore
        private final String title

        ExploreFeature(Explore explore, String title) {
            this.explore = explore
            this.title = title
        }

        @Override
        void intercept(IMethodInvocation invocation) throws Throwable {
            TestExploration.Options options = TestExploration.Options.of(explore.budget(), explore.runs(), explore.points(), explore.seed())
            // a feature method ends by leaving the mock scope Spock entered for it: enter one for each further call
            MockController mocks = (MockController) ((Specification) invocation.instance).specificationContext.mockController
            String failure = TestExploration.explore(title, invocation.method.reflection, invocation.instance,
                    invocation.arguments, { mocks.enterScope() } as Runnable, options, TestExploration.Framework.SPOCK, System.err)
            if (failure != null) {
                throw new ExploredFailure(failure)
            }
        }
    }

    /** An explored feature's failure: its message is the whole story. */
    @CompileStatic
    static final class ExploredFailure extends AssertionError {
        ExploredFailure(String message) {
            super((Object) message)
        }

        @Override
        synchronized Throwable fillInStackTrace() {
            this
        }
    }
}
